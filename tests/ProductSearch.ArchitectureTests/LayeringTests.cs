using System.Text.RegularExpressions;
using ArchUnitNET.Fluent;
using ArchUnitNET.Fluent.Slices;
using ArchUnitNET.Loader;
using ArchUnitNET.xUnit;
using ProductSearch.Functions;
using static ArchUnitNET.Fluent.ArchRuleDefinition;
using Architecture = ArchUnitNET.Domain.Architecture;
using Assembly = System.Reflection.Assembly;

namespace ProductSearch.ArchitectureTests;

/// <summary>
/// The design of the serving library and its two shells, kept by rules over the compiled assemblies, so a change
/// that undoes it fails here instead of quietly shipping (docs/architecture.md draws the same layout).
/// </summary>
public sealed class LayeringTests
{
    // The serving library's capability namespaces, lowest first: each may use only those before it.
    private static readonly string[] Layers =
    [
        "ProductSearch.Products",
        "ProductSearch.Telemetry",
        "ProductSearch.Imaging",
        "ProductSearch.Decoding",
        "ProductSearch.Features",
        "ProductSearch.Vectors",
        "ProductSearch.Search.Filtering",
        "ProductSearch.Storage",
        "ProductSearch.Search",
        "ProductSearch.Indexing",
        "ProductSearch.Maintenance",
    ];

    private static readonly Assembly ServingLibrary = typeof(ProductSearchServiceCollectionExtensions).Assembly;
    private static readonly Assembly FunctionApp = typeof(IndexProductImage).Assembly;
    private static readonly Assembly Cli = Assembly.Load("product-search");
    private static readonly Assembly ModelBuilding = typeof(ModelBuilding.ModelsFolder).Assembly;
    private static readonly Assembly Tooling = typeof(Tooling.Backfill.CatalogBackfill).Assembly;

    private static readonly Assembly OnnxRuntime = typeof(Microsoft.ML.OnnxRuntime.InferenceSession).Assembly;
    private static readonly Assembly Tensors = typeof(System.Numerics.Tensors.TensorPrimitives).Assembly;

    private static readonly Architecture Architecture =
        new ArchLoader().LoadAssemblies(ServingLibrary, FunctionApp, Cli, ModelBuilding, Tooling, OnnxRuntime, Tensors).Build();

    private static readonly Architecture Serving = new ArchLoader().LoadAssemblies(ServingLibrary).Build();

    [Fact]
    public void FunctionAppReferencesTheServingLibraryOnly()
    {
        var ours = FunctionApp.GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(name => name.StartsWith("ProductSearch", StringComparison.Ordinal) || name == Cli.GetName().Name)
            .ToArray();

        Assert.Equal([ServingLibrary.GetName().Name!], ours);
    }

    [Fact]
    public void FunctionAppUsesNoToolingOrModelBuildingType()
    {
        Types().That().ResideInAssembly(FunctionApp)
            .Should().NotDependOnAny(Types().That().ResideInAssembly(Cli).Or().ResideInAssembly(ModelBuilding).Or().ResideInAssembly(Tooling))
            .Check(Architecture);
    }

    [Fact]
    public void ServingLibraryReferencesNoToolingModelBuildingOrFunctionsAssembly()
    {
        var references = ServingLibrary.GetReferencedAssemblies().Select(a => a.Name!).ToArray();

        Assert.DoesNotContain(references, name => name.StartsWith("ProductSearch", StringComparison.Ordinal) || name == Cli.GetName().Name);
        Assert.DoesNotContain(references, name => name.StartsWith("Microsoft.Azure.Functions", StringComparison.Ordinal));
    }

    [Fact]
    public void ServingLibraryUsesNoToolingOrModelBuildingType()
    {
        Types().That().ResideInAssembly(ServingLibrary)
            .Should().NotDependOnAny(Types().That().ResideInAssembly(Tooling).Or().ResideInAssembly(ModelBuilding).Or().ResideInAssembly(Cli))
            .Check(Architecture);
    }

    [Fact]
    public void ServingLibraryHoldsNoEvaluationOrModelBuildingCode()
    {
        Types().That().ResideInAssembly(ServingLibrary)
            .Should().NotResideInNamespaceMatching(@"^ProductSearch\.(Evaluation|ModelBuilding|Tooling)(\..*)?$")
            .Check(Architecture);
    }

    [Fact]
    public void CliUsesNoOnnxRuntimeOrVectorKernelType()
    {
        Types().That().ResideInAssembly(Cli)
            .Should().NotDependOnAny(Types().That().ResideInAssembly(OnnxRuntime).Or().ResideInNamespaceMatching(VectorKernels))
            .Because("the CLI parses, calls and renders: models run and vectors are compared in the library, called through Tooling")
            .Check(Architecture);
    }

    [Fact]
    public void OnlyToolingHoldsEvaluationCompute()
    {
        // Ranking, metrics, feature extraction and vector arithmetic: what an evaluation computes. The CLI's evaluation
        // folder renders Tooling's results; it may not rank, measure or extract by itself.
        Types().That().ResideInAssembly(Cli)
            .Should().NotDependOnAny(Types().That().ResideInAssembly(Tensors)
                .Or().HaveFullName(typeof(Search.CategoryIndex).FullName!)
                .Or().HaveFullName(typeof(Search.QueryExpander).FullName!)
                .Or().HaveFullName(typeof(Features.FeatureExtractor).FullName!)
                .Or().HaveFullName(typeof(Tooling.Evaluation.EvaluatedCatalog).FullName!)
                .Or().HaveFullName(typeof(Tooling.Evaluation.RetrievalEvaluator).FullName!)
                .Or().HaveFullName(typeof(Tooling.Evaluation.RetrievalMetrics).FullName!))
            .Because("evaluation is the app's search, measured in ProductSearch.Tooling; the CLI only calls and renders it")
            .Check(Architecture);
    }

    [Fact]
    public void CapabilityNamespacesHaveNoCycles()
    {
        SliceRuleDefinition.Slices().Matching("ProductSearch.(**)").Should().BeFreeOfCycles()
            .Check(Serving);
    }

    [Fact]
    public void EachCapabilityUsesOnlyTheCapabilitiesBelowIt()
    {
        for (var i = 0; i < Layers.Length - 1; i++)
        {
            var above = Layers[(i + 1)..];
            Types().That().ResideInNamespaceMatching(Exactly(Layers[i]))
                .Should().NotDependOnAny(Types().That().ResideInNamespaceMatching(AnyOf(above)))
                .Because($"{Layers[i]} sits below {string.Join(", ", above)}")
                .Check(Serving);
        }
    }

    [Fact]
    public void EveryServingNamespaceHasItsPlaceInTheLayers()
    {
        var unplaced = ServingLibrary.GetTypes()
            .Select(t => t.Namespace)
            .Where(ns => ns is not null && ns.StartsWith("ProductSearch.", StringComparison.Ordinal) && !Layers.Contains(ns))
            .Distinct()
            .ToArray();

        Assert.Empty(unplaced);
    }

    // The SIMD kernels and matrices.
    private const string VectorKernels = @"^ProductSearch\.Vectors(\..*)?$";

    private static string Exactly(string ns) => $"^{Regex.Escape(ns)}$";

    private static string AnyOf(IEnumerable<string> namespaces) => $"^({string.Join("|", namespaces.Select(Regex.Escape))})$";
}
