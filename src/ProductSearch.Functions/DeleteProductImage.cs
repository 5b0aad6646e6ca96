using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ProductSearch.Functions.Http;
using ProductSearch.Maintenance;
using ProductSearch.Storage;

namespace ProductSearch.Functions;

/// <summary>Deletes a product image and its vector at once: 204 when done, 404 when neither existed.</summary>
public sealed class DeleteProductImage(ProductImageDeleter deleter, ILogger<DeleteProductImage> logger)
{
    public const string Route = "categories/{category}/products/{id}";

    [Function(nameof(DeleteProductImage))]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = Route)] HttpRequest request,
        string category,
        string id,
        CancellationToken cancellationToken)
    {
        if (!CatalogNames.IsValidCategory(category))
        {
            return ApiProblems.BadRequest(
                $"Category must be 1 to {CatalogNames.MaxCategoryLength} letters, digits, spaces, '.', '_' or '-', starting with a letter or digit.");
        }

        // Nested image names arrive URL-encoded ('%2F'), which routing leaves as is.
        id = Uri.UnescapeDataString(id);
        if (!CatalogNames.IsValidImageId(id) || !FitsTableKey(id))
        {
            return ApiProblems.BadRequest($"Image id must be 1 to {CatalogNames.MaxImageIdLength} characters without control characters or '\\'.");
        }

        if (!await deleter.DeleteAsync(category, id, cancellationToken))
        {
            return ApiProblems.NotFound($"Image '{id}' does not exist in category '{category}'.");
        }

        logger.LogInformation("Deleted {Category}/{ImageId} on request", category, id);
        return new NoContentResult();
    }

    // 512 characters of non-ASCII text encode to more than a table key holds; that is the caller's mistake, not a 500.
    private static bool FitsTableKey(string id)
    {
        try
        {
            TableKeyCodec.Encode(id);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
