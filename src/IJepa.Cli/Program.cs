// ijepa-ort: the command-line entry point.
return 0;
