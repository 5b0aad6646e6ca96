using System.ComponentModel.DataAnnotations;

namespace ProductSearch.Features;

/// <summary>Which model the app runs and how ONNX Runtime may use the processor. Section <c>Model</c>.</summary>
public sealed class ModelOptions
{
    public const string Section = "Model";

    /// <summary>Descriptor file, relative to the app's folder. VGG16 (as the original notebook) by default.</summary>
    [Required]
    public string Descriptor { get; set; } = "models/vgg16.json";

    /// <summary>
    /// Threads one inference may use. 0 (default): a lone inference uses every core, concurrent ones one core each
    /// (<see cref="InferenceCoreGate"/>). n: every inference uses n threads, cores / n of them at a time.
    /// </summary>
    [Range(0, 64)]
    public int IntraOpThreads { get; set; }
}
