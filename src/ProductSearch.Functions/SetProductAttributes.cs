using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ProductSearch.Functions.Http;
using ProductSearch.Indexing;

namespace ProductSearch.Functions;

/// <summary>
/// Replaces a product's attributes without re-uploading its photos: 200 with what is stored now, 400 listing every broken
/// rule. The product need have no photo yet. Admin level, as every change to the catalogue (docs/security.md).
/// </summary>
public sealed class SetProductAttributes(ProductAttributeWriter attributes)
{
    public const string Route = "categories/{category}/products/{productId}/attributes";

    [Function(nameof(SetProductAttributes))]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Admin, "put", Route = Route)] HttpRequest request,
        string category,
        string productId,
        CancellationToken cancellationToken)
    {
        if ((CatalogRouteBinding.ValidateCategory(category) ?? ProductAttributesBody.ReadProductId(productId, out productId)) is { } invalid)
        {
            return invalid;
        }

        var (wanted, problem) = await ProductAttributesBody.ReadAsync(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var change = await attributes.SetAsync(category, productId, wanted!, cancellationToken);
        return change.Refused
            ? ProductAttributesBody.Refused(change.Problems)
            : new OkObjectResult(new ProductAttributesResponse(category, productId, ProductCard.From(wanted)));
    }
}
