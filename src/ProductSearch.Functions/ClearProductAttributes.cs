using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ProductSearch.Functions.Http;
using ProductSearch.Indexing;

namespace ProductSearch.Functions;

/// <summary>Removes a product's attributes (its answers show the photo-only tile): 204 whether or not it had any. Admin level.</summary>
public sealed class ClearProductAttributes(ProductAttributeWriter attributes)
{
    public const string Route = SetProductAttributes.Route;

    [Function(nameof(ClearProductAttributes))]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Admin, "delete", Route = Route)] HttpRequest request,
        string category,
        string productId,
        CancellationToken cancellationToken)
    {
        if ((CatalogRouteBinding.ValidateCategory(category) ?? ProductAttributesBody.ReadProductId(productId, out productId)) is { } invalid)
        {
            return invalid;
        }

        await attributes.ClearAsync(category, productId, cancellationToken);
        return new NoContentResult();
    }
}
