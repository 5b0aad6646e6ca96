namespace ProductSearch.Benchmarks.Scan;

/// <summary>A category's size: N vectors of D floats.</summary>
public sealed record ScanShape(int Count, int Dimension)
{
    public override string ToString() => $"{Count:N0} x {Dimension:N0}";
}
