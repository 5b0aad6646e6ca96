using System.IO.Hashing;
using System.Runtime.InteropServices;
using ProductSearch.Products;
using ProductSearch.Storage;

namespace ProductSearch.Search;

/// <summary>
/// A category's rows as one number: the sum, wrapping, of a stable hash of each row. A sum rather than a hash of the
/// whole list, so adding, replacing or removing a row updates it in O(1) and row order (which differs between an
/// instance that loaded the category and one that applied the same changes one by one) does not count.
/// </summary>
internal static class ContentVersion
{
    public static ulong Of(IEnumerable<IndexedImage> images)
    {
        var sum = 0UL;
        foreach (var image in images)
        {
            sum += Of(image);
        }

        return sum;
    }

    /// <summary>XxHash3 of everything an answer shows of the row; process-independent, unlike <see cref="string.GetHashCode()"/>.</summary>
    public static ulong Of(IndexedImage image)
    {
        var hash = new XxHash3();
        Append(hash, image.ImageId);
        Append(hash, image.ProductId);
        Append(hash, image.ImageUrl);
        Append(hash, image.BlobETag);
        Append(hash, image.Thumbnail ?? "");
        hash.Append([image.HasColour ? (byte)1 : (byte)0]);
        return hash.GetCurrentHashAsUInt64();
    }

    /// <summary>XxHash3 of a product's attributes as answers show them; labels in key order, so any copy hashes the same.</summary>
    public static ulong Of(string productId, ProductAttributes attributes)
    {
        var hash = new XxHash3();
        // A marker, so a product's term never equals an image's made of the same strings; "\0" stands for an unset
        // field (no field may hold a control character).
        hash.Append("product"u8);
        Append(hash, productId);
        Append(hash, attributes.Title ?? "\0");
        Append(hash, attributes.Url ?? "\0");
        Append(hash, attributes.Price ?? "\0");
        Append(hash, attributes.Currency ?? "\0");
        foreach (var (key, value) in attributes.Labels)
        {
            Append(hash, key);
            Append(hash, value);
        }

        return hash.GetCurrentHashAsUInt64();
    }

    // Each field ends with its length, so ("ab", "c") and ("a", "bc") differ.
    private static void Append(XxHash3 hash, string value)
    {
        hash.Append(MemoryMarshal.AsBytes(value.AsSpan()));
        hash.Append(BitConverter.GetBytes(value.Length));
    }
}
