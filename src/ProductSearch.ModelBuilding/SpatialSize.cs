namespace ProductSearch.ModelBuilding;

/// <summary>Whether the built model's height and width are fixed at 224 or left symbolic (any multiple of 32).</summary>
public enum SpatialSize
{
    Fixed224,
    Symbolic,
}
