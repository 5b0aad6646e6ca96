using System.Numerics.Tensors;
using ProductSearch.Features;
using ProductSearch.IntegrationTests.Infrastructure;
using ProductSearch.Products;
using ProductSearch.Search;
using ProductSearch.Search.Filtering;
using ProductSearch.Storage;
using ProductSearch.Tooling.Evaluation;

namespace ProductSearch.IntegrationTests.Filtering;

/// <summary>
/// A filtered answer is the true nearest N among the matching products, never "the nearest N, then drop the rest":
/// real ResNet18 vectors of the shared photos, random labels per product, random filters, each answer compared with a
/// brute-force ranking of the matching products' images.
/// </summary>
[Collection(ModelLoadCollection.Name)]
public sealed class FilteredSearchExactnessTests
{
    private static readonly string[] Colours = ["red", "blue", "green", "black"];
    private static readonly string[] Sizes = ["s", "m", "l"];

    [Fact]
    public async Task RandomFiltersAnswerTheNearestMatchingProductsExactly()
    {
        var photos = SharedPhotos("magento-luma", 120);
        using var extractor = FeatureExtractor.CreateStandalone(ModelDescriptor.Load(Path.Combine(AppContext.BaseDirectory, "models", "resnet18.json")));
        using var index = new CategoryIndex("shared", extractor.Model.Id);
        var vectors = new Dictionary<string, (string Product, float[] Vector)>();
        foreach (var (path, product) in photos)
        {
            await using var file = File.OpenRead(path);
            var vector = await extractor.ExtractAsync(file, CancellationToken.None);
            var id = Path.GetFileName(path);
            vectors[id] = (product, vector);
            index.Apply(id, new ProductVector("shared", id, product, "u", extractor.Model.Id, "e", DateTimeOffset.UnixEpoch, vector));
        }

        var random = new Random(29);
        var labels = new Dictionary<string, Dictionary<string, string>>();
        foreach (var product in vectors.Values.Select(v => v.Product).Distinct())
        {
            // Some products have no labels at all, some lack a key: neither may match a clause on it.
            var own = new Dictionary<string, string>();
            if (random.Next(5) > 0)
            {
                own["color"] = Colours[random.Next(Colours.Length)];
            }

            if (random.Next(3) > 0)
            {
                own["size"] = Sizes[random.Next(Sizes.Length)];
            }

            own["instock"] = random.Next(4) > 0 ? "true" : "false";
            labels[product] = own;
            index.ApplyProduct(product, new ProductAttributes { Labels = own });
        }

        var ids = vectors.Keys.Order(StringComparer.Ordinal).ToList();
        var compared = 0;
        for (var trial = 0; trial < 40; trial++)
        {
            var filter = ProductFilter.Parse(RandomFilter(random));
            var queryId = ids[random.Next(ids.Count)];
            var top = 1 + random.Next(8);
            var answer = index.Answer(QuerySubject.Indexed(queryId), new SimilarityQuery(top) { Filter = filter }, QueryExpander.None)!;

            var (queryProduct, query) = vectors[queryId];
            var expected = vectors
                .Where(v => v.Value.Product != queryProduct && filter.Matches(labels[v.Value.Product]))
                .Select(v => (Id: v.Key, v.Value.Product, Distance: TensorPrimitives.Distance(query, v.Value.Vector)))
                .OrderBy(v => v.Distance)
                .DistinctBy(v => v.Product)
                .Take(top)
                .ToList();

            Assert.Equal(expected.Count, answer.Results.Count);
            for (var i = 0; i < expected.Count; i++)
            {
                // Same distances in order (ties may swap images), and every product shown matches.
                Assert.Equal(expected[i].Distance, answer.Results[i].Distance, 1e-4f);
                Assert.True(filter.Matches(labels[answer.Results[i].Image.ProductId]), $"{filter}: {answer.Results[i].Image.ProductId}");
            }

            compared += expected.Count;
        }

        Assert.True(compared > 100, $"only {compared} results compared: the filters matched too little to test anything");
    }

    [Fact]
    public void AKeyNoProductHasMatchesNothingAndIsNamed()
    {
        using var index = new CategoryIndex("tops", "m");
        index.Apply("a.jpg", new ProductVector("tops", "a.jpg", "a", "u", "m", "e", DateTimeOffset.UnixEpoch, [1f, 0f]));
        index.Apply("b.jpg", new ProductVector("tops", "b.jpg", "b", "u", "m", "e", DateTimeOffset.UnixEpoch, [0f, 1f]));
        index.ApplyProduct("b", new ProductAttributes { Labels = new Dictionary<string, string> { ["color"] = "red" } });

        var answer = index.Answer(QuerySubject.Indexed("a.jpg"), new SimilarityQuery(4) { Filter = ProductFilter.Parse("colour = red") }, QueryExpander.None)!;
        var known = index.Answer(QuerySubject.Indexed("a.jpg"), new SimilarityQuery(4) { Filter = ProductFilter.Parse("color = red") }, QueryExpander.None)!;

        Assert.Empty(answer.Results);
        Assert.Equal(["colour"], answer.UnknownFilterKeys);
        Assert.Equal(["b.jpg"], known.Results.Select(r => r.Image.ImageId));
        Assert.Empty(known.UnknownFilterKeys);
    }

    private static string RandomFilter(Random random)
    {
        var terms = new List<string>();
        if (random.Next(2) == 0)
        {
            terms.Add(string.Join(" OR ", Colours.OrderBy(_ => random.Next()).Take(1 + random.Next(2)).Select(c => $"color = {c}")));
        }

        if (random.Next(2) == 0)
        {
            terms.Add($"size = {Sizes[random.Next(Sizes.Length)]}");
        }

        if (terms.Count == 0 || random.Next(2) == 0)
        {
            terms.Add("instock = true");
        }

        return string.Join(" AND ", terms);
    }

    // The first photos of a subset of the shared manifest, with their product ids.
    private static List<(string Path, string Product)> SharedPhotos(string subset, int count)
    {
        var root = RepositoryPaths.SharedProducts;
        return [.. ProductManifest.Read(Path.Combine(root, "manifest.csv"))
            .Where(entry => entry.Path.StartsWith(subset + "/", StringComparison.Ordinal))
            .Take(count)
            .Select(entry => (Path.Combine(root, entry.Path), entry.ProductId))];
    }
}
