namespace ProductSearch.Vectors;

/// <summary>How a search restricted to a <see cref="RowMask"/> reads the matrix.</summary>
internal enum MaskedScan
{
    /// <summary>By the mask's density: row by row when sparse, else the block scan.</summary>
    Auto,

    /// <summary>The block scan, skipping blocks with no allowed row.</summary>
    Blocks,

    /// <summary>The exact distance of each allowed row, nothing else read.</summary>
    Direct,
}
