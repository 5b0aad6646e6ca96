using Azure.Data.Tables;
using ProductSearch.Vectors;

namespace ProductSearch.Storage;

/// <summary>
/// A category's vectors of one model read straight into a matrix (the cache's cold load), with its products' attributes.
/// </summary>
internal sealed class CategoryMatrixReader(TableClient client, IReadOnlyList<string> loadRangeSplits, string imageKeyUpperBound, ProductRows products)
{
    // A page holds at most 1,000 entities; growing the matrix a page at a time keeps resizes to a handful.
    private const int PageSize = 1000;

    /// <summary>
    /// Reads every vector of <paramref name="modelId"/> in a category straight into a matrix: each vector is
    /// copied from the entity into its row, with no float[] or <see cref="ProductVector"/> per image, so decoding
    /// costs little next to reading the pages. <paramref name="rowKeySplits"/> (encoded keys, ascending; by default
    /// <see cref="StorageOptions.LoadRangeSplits"/>) read that many + 1 key ranges at once, joined in key order; the products'
    /// attributes (<see cref="ProductRows.ReadAllAsync"/>) are read beside them.
    /// </summary>
    /// <param name="colour">The model's colour descriptor, appended to each row (see <see cref="ColourColumns"/>); null for none.</param>
    public async Task<CategoryMatrix> ReadAsync(
        string category, string modelId, CancellationToken cancellationToken, IReadOnlyList<string>? rowKeySplits = null, ColourColumns? colour = null)
    {
        var bounds = new List<string> { "" };
        bounds.AddRange(rowKeySplits ?? loadRangeSplits);
        bounds.Add(imageKeyUpperBound);
        var ranges = new Task<CategoryMatrix>[bounds.Count - 1];
        for (var i = 0; i < ranges.Length; i++)
        {
            ranges[i] = ReadRangeAsync(category, modelId, bounds[i], bounds[i + 1], colour, cancellationToken);
        }

        var attributes = products.ReadAllAsync(category, cancellationToken);
        var parts = await Task.WhenAll(ranges);
        return Joined(parts) with { Products = await attributes };
    }

    private static CategoryMatrix Joined(CategoryMatrix[] parts)
    {
        if (parts.Length == 1)
        {
            return parts[0];
        }

        // Names often share a first character, leaving one range with every image: take it as it is, no copy.
        var filled = parts.Where(p => p.Matrix is not null).ToArray();
        return filled.Length == 1 ? filled[0] with { SkippedOtherModels = parts.Sum(p => p.SkippedOtherModels) } : Join(parts);
    }

    private async Task<CategoryMatrix> ReadRangeAsync(
        string category, string modelId, string fromKey, string toKey, ColourColumns? colour, CancellationToken cancellationToken)
    {
        var colourDimension = colour?.Dimension ?? 0;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {TableKeyCodec.Encode(category)} and RowKey ge {fromKey} and RowKey lt {toKey}");
        var pages = client.QueryAsync<TableEntity>(filter, maxPerPage: PageSize, cancellationToken: cancellationToken).AsPages();
        VectorMatrix? matrix = null;
        var images = new List<IndexedImage>();
        var skipped = 0;
        await using var enumerator = pages.GetAsyncEnumerator(cancellationToken);
        while (await MissingTable.OrAsync(async () => await enumerator.MoveNextAsync(), false))
        {
            var entities = enumerator.Current.Values;
            matrix?.EnsureCapacity(matrix.Count + entities.Count);
            foreach (var entity in entities)
            {
                if (!string.Equals(entity.GetString(nameof(ProductVector.ModelId)), modelId, StringComparison.Ordinal))
                {
                    skipped++;
                    continue;
                }

                var dimension = VectorEntityCodec.ReadDimension(entity);
                matrix ??= new VectorMatrix(dimension + colourDimension, entities.Count);
                if (dimension + colourDimension != matrix.Dimension)
                {
                    throw new InvalidDataException(
                        $"Vector {entity.PartitionKey}/{entity.RowKey} has {dimension} values; the category holds {matrix.Dimension - colourDimension}-d vectors of model {modelId}.");
                }

                var row = matrix.AddRow();
                VectorEntityCodec.DecodeVector(entity, row[..dimension]);
                var hasColour = colour is { } c && VectorEntityCodec.TryDecodeColour(entity, c.Id, row[dimension..]);
                if (!hasColour)
                {
                    row[dimension..].Clear();
                }

                images.Add(new IndexedImage(
                    entity.GetString(nameof(ProductVector.ImageId)) ?? TableKeyCodec.Decode(entity.RowKey),
                    entity.GetString(nameof(ProductVector.ProductId)) ?? "",
                    entity.GetString(nameof(ProductVector.ImageUrl)) ?? "",
                    hasColour,
                    entity.GetString(nameof(ProductVector.BlobETag)) ?? "",
                    entity.GetString(nameof(ProductVector.Thumbnail))));
            }
        }

        matrix?.TrimExcess();
        return new CategoryMatrix(matrix, images, skipped);
    }

    private static CategoryMatrix Join(CategoryMatrix[] parts)
    {
        var first = parts.FirstOrDefault(p => p.Matrix is not null)?.Matrix;
        if (first is null)
        {
            return new CategoryMatrix(null, [], parts.Sum(p => p.SkippedOtherModels));
        }

        var matrix = new VectorMatrix(first.Dimension, Math.Max(1, parts.Sum(p => p.Matrix?.Count ?? 0)));
        var images = new List<IndexedImage>(matrix.Count);
        foreach (var part in parts.Where(p => p.Matrix is not null))
        {
            if (part.Matrix!.Dimension != matrix.Dimension)
            {
                throw new InvalidDataException($"A category holds {matrix.Dimension}-d and {part.Matrix.Dimension}-d vectors of the same model.");
            }

            part.Matrix.Rows.CopyTo(matrix.AddRows(part.Matrix.Count));
            images.AddRange(part.Images);
        }

        return new CategoryMatrix(matrix, images, parts.Sum(p => p.SkippedOtherModels));
    }
}
