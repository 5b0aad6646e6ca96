namespace ProductSearch.ModelBuilding;

public enum ModelBuildStage
{
    Download,
    VerifyChecksum,
    ReadWeights,
    BuildGraph,
    WriteModel,
    Done,
}

/// <summary>Where a model build is; <see cref="Total"/> is null when the size is unknown (e.g. no Content-Length).</summary>
public readonly record struct ModelBuildProgress(ModelBuildStage Stage, long Completed, long? Total);
