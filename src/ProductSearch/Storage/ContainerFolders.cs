using System.Runtime.CompilerServices;
using System.Xml;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace ProductSearch.Storage;

/// <summary>A folder of the images container that storage would not list, and why, in words.</summary>
/// <param name="Folder">The folder's name (a category, or a folder that is not one), or "" for the container's top level.</param>
public sealed record ListingFailure(string Folder, string Reason);

/// <summary>The top level of the images container: its folders (valid categories or not) and the blobs at its root, in name order.</summary>
public sealed record ContainerTopLevel(IReadOnlyList<string> Folders, IReadOnlyList<BlobItem> RootBlobs);

/// <summary>
/// Lists the images container folder by folder rather than in one flat pass, so that a folder storage cannot list
/// costs that folder only: the commands report it and go on with the others. One request per 5,000 names, as flat.
/// </summary>
public static class ContainerFolders
{
    /// <summary>The folders and root blobs (one delimited listing); throws what storage threw, 404 when there is no container.</summary>
    public static async Task<ContainerTopLevel> ListTopLevelAsync(BlobContainerClient container, CancellationToken cancellationToken)
    {
        var (folders, rootBlobs) = (new List<string>(), new List<BlobItem>());
        await foreach (var item in container.GetBlobsByHierarchyAsync(new GetBlobsByHierarchyOptions { Delimiter = "/" }, cancellationToken))
        {
            if (item.IsPrefix)
            {
                folders.Add(item.Prefix[..^1]);
            }
            else
            {
                rootBlobs.Add(item.Blob);
            }
        }

        return new ContainerTopLevel(folders, rootBlobs);
    }

    /// <summary>
    /// The valid category folders, in name order, as storage lists them (one request per 5,000 names); throws 404 when
    /// the container does not exist. Blobs at the root and folders no category can be named are never indexed.
    /// </summary>
    public static async IAsyncEnumerable<string> ListCategoriesAsync(
        BlobContainerClient container, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var item in container.GetBlobsByHierarchyAsync(new GetBlobsByHierarchyOptions { Delimiter = "/" }, cancellationToken))
        {
            if (item.IsPrefix && item.Prefix[..^1] is var category && CatalogNames.IsValidCategory(category))
            {
                yield return category;
            }
        }
    }

    /// <summary>Every blob under <c><paramref name="folder"/>/</c>, with its ETag and last-modified time.</summary>
    public static IAsyncEnumerable<BlobItem> ListFolderAsync(BlobContainerClient container, string folder, CancellationToken cancellationToken) =>
        container.GetBlobsAsync(BlobTraits.None, BlobStates.None, folder + "/", cancellationToken);

    /// <summary>
    /// True when a listing failed in storage rather than in our code: an error answer (a missing container excepted:
    /// that is the whole command's problem), retries given up, or an answer the SDK cannot read. Azurite answers
    /// 500 with an empty body to a listing that holds a name with a control character (U+0001), and the SDK's
    /// error parser then throws <see cref="XmlException"/> "Root element is missing".
    /// </summary>
    public static bool IsListingFailure(Exception e) => e switch
    {
        RequestFailedException { ErrorCode: "ContainerNotFound" } => false,
        RequestFailedException or XmlException => true,
        AggregateException aggregate => aggregate.InnerExceptions.All(IsListingFailure),
        _ => false,
    };

    /// <summary>What storage answered, for an operator: status and error code, never a stack.</summary>
    public static string Describe(Exception e) => e switch
    {
        RequestFailedException r => $"storage answered {r.Status} {r.ErrorCode}: {FirstLine(r.Message)}",
        XmlException => "storage answered with a body that is not XML, as Azurite does when a blob name in the folder holds a control character such as U+0001: delete or rename that blob",
        AggregateException { InnerExceptions.Count: > 0 } aggregate => Describe(aggregate.InnerExceptions[^1]),
        _ => FirstLine(e.Message),
    };

    private static string FirstLine(string message) => message.Split('\n', 2)[0].TrimEnd('\r');
}
