using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Azure.Data.Tables;

namespace ProductSearch.Storage;

/// <summary>
/// Maps <see cref="ProductVector"/> to a table entity. The vector is float32 little-endian binary, split
/// over <c>Vector0..VectorK</c> because one binary property holds at most 64 KiB (a flattened VGG16
/// vector is 98 KiB).
/// </summary>
internal static class VectorEntityCodec
{
    public const int MaxPropertyBytes = 64 * 1024;
    public const string VectorPrefix = "Vector";

    /// <summary>The properties a change check needs, so it does not download the vector.</summary>
    public static readonly string[] VersionProperties =
        [nameof(ProductVector.BlobETag), nameof(ProductVector.BlobLastModified), nameof(ProductVector.ColourId), nameof(ProductVector.Thumbnail)];

    /// <summary>The colour descriptor, float32 little-endian in one property (a few hundred bytes), beside the CNN vector.</summary>
    public const string ColourProperty = nameof(ProductVector.Colour);

    public static TableEntity ToEntity(ProductVector vector)
    {
        var entity = new TableEntity(TableKeyCodec.Encode(vector.Category), TableKeyCodec.Encode(vector.ImageId))
        {
            [nameof(ProductVector.ImageId)] = vector.ImageId,
            [nameof(ProductVector.ProductId)] = vector.ProductId,
            [nameof(ProductVector.ImageUrl)] = vector.ImageUrl,
            [nameof(ProductVector.ModelId)] = vector.ModelId,
            ["Dimension"] = vector.Vector.Length,
            [nameof(ProductVector.BlobETag)] = vector.BlobETag,
            [nameof(ProductVector.BlobLastModified)] = vector.BlobLastModified,
        };
        var parts = EncodeVector(vector.Vector);
        if (vector.Colour is not null && vector.ColourId is not null)
        {
            entity[nameof(ProductVector.ColourId)] = vector.ColourId;
            entity[ColourProperty] = EncodeVector(vector.Colour).Single();
        }

        if (vector.Thumbnail is not null)
        {
            entity[nameof(ProductVector.Thumbnail)] = vector.Thumbnail;
        }

        if (vector.RefusedAttributes is not null)
        {
            entity[nameof(ProductVector.RefusedAttributes)] = vector.RefusedAttributes;
        }

        entity["VectorParts"] = parts.Count;
        for (var i = 0; i < parts.Count; i++)
        {
            entity[VectorPrefix + i] = parts[i];
        }

        return entity;
    }

    public static ProductVector FromEntity(TableEntity entity)
    {
        var vector = new float[ReadDimension(entity)];
        DecodeVector(entity, vector);
        return new ProductVector(
            TableKeyCodec.Decode(entity.PartitionKey),
            entity.GetString(nameof(ProductVector.ImageId)) ?? TableKeyCodec.Decode(entity.RowKey),
            entity.GetString(nameof(ProductVector.ProductId)) ?? "",
            entity.GetString(nameof(ProductVector.ImageUrl)) ?? "",
            entity.GetString(nameof(ProductVector.ModelId)) ?? "",
            entity.GetString(nameof(ProductVector.BlobETag)) ?? "",
            entity.GetDateTimeOffset(nameof(ProductVector.BlobLastModified)) ?? DateTimeOffset.MinValue,
            vector,
            entity.GetString(nameof(ProductVector.ColourId)),
            ReadColour(entity),
            entity.GetString(nameof(ProductVector.Thumbnail)),
            entity.GetString(nameof(ProductVector.RefusedAttributes)));
    }

    /// <summary>
    /// An entity holding only a colour descriptor and/or a thumbnail name, to merge into an existing row (a backfill that
    /// does not touch the CNN vector).
    /// </summary>
    public static TableEntity FillEntity(string category, string imageId, (string Id, float[] Values)? colour, string? thumbnail)
    {
        var entity = new TableEntity(TableKeyCodec.Encode(category), TableKeyCodec.Encode(imageId));
        if (colour is var (id, values))
        {
            entity[nameof(ProductVector.ColourId)] = id;
            entity[ColourProperty] = EncodeVector(values).Single();
        }

        if (thumbnail is not null)
        {
            entity[nameof(ProductVector.Thumbnail)] = thumbnail;
        }

        return entity;
    }

    /// <summary>
    /// Copies the entity's colour descriptor into <paramref name="destination"/> when it is of <paramref name="colourId"/>
    /// and of the right length; false (destination untouched) when the row has none or one of another version.
    /// </summary>
    public static bool TryDecodeColour(TableEntity entity, string colourId, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(entity);
        if (!string.Equals(entity.GetString(nameof(ProductVector.ColourId)), colourId, StringComparison.Ordinal)
            || entity.GetBinary(ColourProperty) is not { } bytes || bytes.Length != destination.Length * sizeof(float))
        {
            return false;
        }

        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * sizeof(float)));
        }

        return true;
    }

    private static float[]? ReadColour(TableEntity entity)
    {
        if (entity.GetBinary(ColourProperty) is not { Length: > 0 } bytes || bytes.Length % sizeof(float) != 0)
        {
            return null;
        }

        var colour = new float[bytes.Length / sizeof(float)];
        for (var i = 0; i < colour.Length; i++)
        {
            colour[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * sizeof(float)));
        }

        return colour;
    }

    /// <summary>The vector's length as the entity declares it.</summary>
    public static int ReadDimension(TableEntity entity) => entity.GetInt32("Dimension") ?? throw Invalid(entity, "Dimension");

    /// <summary>
    /// Copies the entity's vector parts straight into <paramref name="destination"/> (e.g. a matrix row), so a
    /// bulk load allocates nothing per vector beyond what the table client already decoded.
    /// </summary>
    public static void DecodeVector(TableEntity entity, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var parts = entity.GetInt32("VectorParts") ?? throw Invalid(entity, "VectorParts");
        var bytes = MemoryMarshal.AsBytes(destination);
        var offset = 0;
        for (var i = 0; i < parts; i++)
        {
            var part = entity.GetBinary(VectorPrefix + i) ?? throw Invalid(entity, VectorPrefix + i);
            if (offset + part.Length > bytes.Length)
            {
                throw Invalid(entity, "vector length");
            }

            part.CopyTo(bytes[offset..]);
            offset += part.Length;
        }

        if (offset != bytes.Length)
        {
            throw Invalid(entity, "vector length");
        }

        if (!BitConverter.IsLittleEndian)
        {
            var words = MemoryMarshal.Cast<float, int>(destination);
            BinaryPrimitives.ReverseEndianness(words, words);
        }
    }

    public static List<byte[]> EncodeVector(ReadOnlySpan<float> vector)
    {
        var bytes = new byte[vector.Length * sizeof(float)];
        for (var i = 0; i < vector.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), vector[i]);
        }

        var parts = new List<byte[]>((bytes.Length + MaxPropertyBytes - 1) / MaxPropertyBytes);
        for (var offset = 0; offset < bytes.Length; offset += MaxPropertyBytes)
        {
            parts.Add(bytes.AsSpan(offset, Math.Min(MaxPropertyBytes, bytes.Length - offset)).ToArray());
        }

        return parts;
    }

    private static InvalidDataException Invalid(TableEntity entity, string what) =>
        new($"Vector entity {entity.PartitionKey}/{entity.RowKey} has a missing or inconsistent {what}.");
}
