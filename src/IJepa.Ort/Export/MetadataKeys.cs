// The ONNX metadata_props keys of an exported encoder (the deployment contract's machine-readable half; see DeploymentContract).
namespace IJepa.Ort.Export;

public static class MetadataKeys
{
    public const string Preset = "ijepa.preset";
    public const string Encoder = "ijepa.encoder";
    public const string Step = "ijepa.step";
    public const string ImgSize = "ijepa.img_size";
    public const string PatchSize = "ijepa.patch_size";
    public const string InChans = "ijepa.in_chans";
    public const string EmbedDim = "ijepa.embed_dim";
    /// <summary>Comma-separated per-channel mean, applied after scaling pixels to [0, 1].</summary>
    public const string Mean = "ijepa.mean";
    public const string Std = "ijepa.std";
    /// <summary>"RGB" (3 planes in that order) or "L" (ITU-R 601 luma of RGB).</summary>
    public const string ChannelOrder = "ijepa.channel_order";
    /// <summary>"1/255": 8-bit values are divided by 255 (to [0, 1]) before mean and std.</summary>
    public const string PixelScale = "ijepa.pixel_scale";
    /// <summary>How an image of another size becomes img_size x img_size.</summary>
    public const string Resize = "ijepa.resize";
    /// <summary>"NCHW".</summary>
    public const string Layout = "ijepa.layout";
    /// <summary>fp32, fp16 or int8 (see ExportPrecision).</summary>
    public const string Precision = "ijepa.precision";
    public const string Outputs = "ijepa.outputs";

    public const string ResizeRule = "centre square crop (side min(H, W), offsets floor((H - side) / 2), floor((W - side) / 2)), then PIL bilinear (antialiased triangle filter) to img_size x img_size";
}
