// Parameter store ↔ checkpoint file: official ijepa keys for the weights, opt.m./opt.v. for the Adam moments.
using IJepa.GraphBuilder.Recipes;
using IJepa.Ort.Checkpoints;
using IJepa.Ort.Errors;
using IJepa.Ort.Runtime;

namespace IJepa.Ort.Training;

public static class StoreCheckpoint
{
    /// <summary>The store's tensors in manifest order (position tables included, as upstream's state dicts hold them), then the moments.</summary>
    public static IEnumerable<NamedTensor> Tensors(ParameterStore store)
    {
        foreach (var p in store.Manifest.Parameters)
            yield return new NamedTensor(p.Name, p.Shape, store.Tensor(p.Name).ToArray());
        foreach (var p in store.Manifest.Parameters.Where(p => p.Trainable))
        {
            yield return new NamedTensor(CheckpointKeys.AdamM(p.Name), p.Shape, store.MomentM(p.Name).ToArray());
            yield return new NamedTensor(CheckpointKeys.AdamV(p.Name), p.Shape, store.MomentV(p.Name).ToArray());
        }
    }

    /// <summary>Loads every tensor of the store from <paramref name="reader"/>; a missing or misshapen tensor is an error naming it.</summary>
    public static void Load(CheckpointReader reader, ParameterStore store, bool withMoments = true)
    {
        if (reader.Meta.PresetHash.Length > 0 && reader.Meta.PresetHash != store.Manifest.PresetHash)
            throw new IJepaException($"{reader.Path}: checkpoint was written for other graphs: another model or objective (ijepa_ort.target_blocks, ijepa_ort.vc_loss) (preset hash {reader.Meta.PresetHash[..12]}…, graphs have {store.Manifest.PresetHash[..12]}…)", 2);
        foreach (var p in store.Manifest.Parameters)
        {
            Read(reader, p.Name, p.Shape, store.Tensor(p.Name));
            if (withMoments && p.Trainable)
            {
                Read(reader, CheckpointKeys.AdamM(p.Name), p.Shape, store.MomentM(p.Name));
                Read(reader, CheckpointKeys.AdamV(p.Name), p.Shape, store.MomentV(p.Name));
            }
        }
    }

    private static void Read(CheckpointReader reader, string name, long[] shape, Span<float> into)
    {
        if (!reader.Contains(name)) throw DataException.At(reader.Path, $"checkpoint has no tensor {name}");
        reader.ReadInto(name, shape, into);
    }
}
