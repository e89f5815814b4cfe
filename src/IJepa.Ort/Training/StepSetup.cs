// What a train step is made of: graphs, the global batch, the device, the communicator and the mask source.
using IJepa.GraphBuilder.Recipes;
using IJepa.Ort.Distributed;
using IJepa.Ort.Masks;
using IJepa.Ort.Runtime;

namespace IJepa.Ort.Training;

public sealed record StepSetup(string GraphDirectory, Manifest Manifest, int GlobalBatch, ExecutionDevice Device, ICommunicator Communicator, IMaskSource Masks)
{
    /// <summary>ONNX Runtime intra-op threads; 0 = its default.</summary>
    public int Threads { get; init; }

    /// <summary>Write ONNX Runtime's per-op profile with this path prefix (null: none).</summary>
    public string? ProfilePrefix { get; init; }

    /// <summary>
    /// Run the EMA with ema.onnx over a second, ping-ponged copy of the store, as on a GPU, even on the CPU (where C# updates
    /// the host store in place by default): lets the device-resident path be tested without a GPU.
    /// </summary>
    public bool ResidentCopy { get; init; }
}
