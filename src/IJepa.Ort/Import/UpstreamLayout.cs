// facebookresearch/ijepa's checkpoint dict (src/train.py save_checkpoint): 'encoder', 'predictor', 'target_encoder' (state
// dicts of DDP-wrapped modules: keys start with "module."), 'opt', 'scaler', 'epoch', 'loss', 'batch_size', 'world_size',
// 'lr'. The three state dicts map one to one onto our names (CheckpointKeys.FromUpstream); the rest is reported, not imported.
using System.Globalization;
using IJepa.Ort.Checkpoints;
using IJepa.Ort.Errors;

namespace IJepa.Ort.Import;

public static class UpstreamLayout
{
    public static readonly string[] Sections = [CheckpointKeys.Encoder, CheckpointKeys.Predictor, CheckpointKeys.TargetEncoder];

    public static SourceTensors Map(TorchCheckpointFile file)
    {
        if (file.Root is not PickleDict root)
            throw DataException.At(file.Path, "the pickle is not a dict: not an ijepa checkpoint (expected keys encoder, predictor, target_encoder, ...)");
        var source = new SourceTensors { Layout = "upstream ijepa .pth.tar" };
        foreach (var (key, value) in root.Items)
        {
            string name = key as string ?? throw DataException.At(file.Path, $"top-level key {key} is not a string");
            if (Sections.Contains(name))
            {
                if (value is not PickleDict state) throw DataException.At(file.Path, $"'{name}' is not a state dict");
                source.Sections.Add(name);
                foreach (var (k, v) in state.Items)
                {
                    string stateKey = k as string ?? throw DataException.At(file.Path, $"'{name}' has a key that is not a string");
                    if (v is not TorchTensor tensor) { source.Unexpected.Add($"{name}[{stateKey}] (not a tensor)"); continue; }
                    source.ByName[CheckpointKeys.FromUpstream(name, stateKey)] =
                        new SourceTensor($"{name}[{stateKey}]", tensor.Shape, into => file.ReadFloats(tensor, into));
                }
            }
            else if (name == "opt") source.Notes.Add("not imported: 'opt' (upstream's AdamW state is keyed by parameter index; fine-tuning starts with fresh moments)");
            else if (value is long or double) source.Extra["upstream." + name] = Convert.ToString(value, CultureInfo.InvariantCulture)!;
            else source.Notes.Add($"not imported: '{name}'");
        }
        if (source.Sections.Count == 0)
            throw DataException.At(file.Path, $"no model section: the dict holds {string.Join(", ", root.Items.Select(kv => kv.Key))}, expected {string.Join(", ", Sections)}");
        return source;
    }
}
