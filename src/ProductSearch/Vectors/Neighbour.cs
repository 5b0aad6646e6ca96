namespace ProductSearch.Vectors;

/// <summary>One search hit: the row in the category's matrix and its Euclidean distance to the query.</summary>
internal readonly record struct Neighbour(int Row, float Distance);
