using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ProductSearch.Functions.Http;
using ProductSearch.Maintenance;

namespace ProductSearch.Functions;

/// <summary>
/// Deletes a product image and its vector at once: 204 when done, 404 when neither existed. Admin level: only the
/// master key, which never goes into a page, can change the catalogue (docs/security.md).
/// </summary>
public sealed class DeleteProductImage(ProductImageDeleter deleter, ILogger<DeleteProductImage> logger)
{
    public const string Route = "categories/{category}/products/{id}";

    [Function(nameof(DeleteProductImage))]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Admin, "delete", Route = Route)] HttpRequest request,
        string category,
        string id,
        CancellationToken cancellationToken)
    {
        if (CatalogRouteBinding.ValidateCategory(category) is { } invalidCategory)
        {
            return invalidCategory;
        }

        if (CatalogRouteBinding.ReadImageId(id, out id) is { } invalidId)
        {
            return invalidId;
        }

        if (!await deleter.DeleteAsync(category, id, cancellationToken))
        {
            return ApiProblems.NotFound($"Image '{id}' does not exist in category '{category}'.");
        }

        logger.LogInformation("Deleted {Category}/{ImageId} on request", category, id);
        return new NoContentResult();
    }
}
