using System.Text.Json;
using System.Text.Json.Nodes;
using ProductSearch.BrowserTests.Infrastructure;

namespace ProductSearch.BrowserTests.OpenApi;

/// <summary>The checker the contract tests rely on does reject what it must.</summary>
public sealed class SchemaCheckerTests
{
    private static readonly OpenApiDescription Description = OpenApiDescription.Load(TestPaths.OpenApiDocument);
    private static readonly JsonNode SimilarProducts = JsonNode.Parse("""{ "$ref": "#/components/schemas/SimilarProducts" }""")!;

    [Fact]
    public void AValidAnswerHasNoErrors() =>
        Assert.Empty(Check("""{ "category": "c", "model": "m", "searched": 3, "colour": 0.35, "results": [ { "id": "a.jpg", "productId": "a", "distance": 0.5, "similarity": 0.94, "nearDuplicate": false, "imageUrl": "http://x/a.jpg", "mainImageId": "a.jpg", "thumbnailUrl": null, "product": { "title": "A tee", "price": "12.50" } } ], "warnings": [] }"""));

    [Theory]
    [InlineData("""{ "category": "c", "model": "m", "results": [] }""", "required property 'searched'")]
    [InlineData("""{ "category": "c", "model": "m", "searched": 1.5, "results": [] }""", "expected integer")]
    [InlineData("""{ "category": "c", "model": "m", "searched": 1, "results": [], "extra": 1 }""", "'extra' is not in the description")]
    [InlineData("""{ "category": "c", "model": "m", "searched": 1, "results": [ { "id": "a", "productId": "a", "distance": 2.5, "similarity": 0, "nearDuplicate": false, "imageUrl": "u" } ] }""", "above the maximum")]
    [InlineData("""{ "category": "c", "model": "m", "searched": 1, "results": [ { "id": "a", "productId": "a", "distance": "0.1", "similarity": 0, "nearDuplicate": false, "imageUrl": "u" } ] }""", "$.results[0].distance: expected number")]
    public void AWrongAnswerIsRejectedWithWhereAndWhy(string json, string expected) =>
        Assert.Contains(Check(json), e => e.Contains(expected, StringComparison.Ordinal));

    private static List<string> Check(string json)
    {
        using var document = JsonDocument.Parse(json);
        return SchemaChecker.Check(Description, SimilarProducts, document.RootElement);
    }
}
