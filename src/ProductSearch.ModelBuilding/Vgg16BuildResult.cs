namespace ProductSearch.ModelBuilding;

/// <summary>What a VGG16 build produced; <see cref="WeightsMd5"/> is null when the caller skipped the check.</summary>
public sealed record Vgg16BuildResult(string OnnxPath, long OnnxBytes, long ParameterCount, string WeightsSource, string? WeightsMd5);
