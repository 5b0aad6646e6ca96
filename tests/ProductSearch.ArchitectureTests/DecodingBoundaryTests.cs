using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using ArchUnitNET.Loader;
using ArchUnitNET.xUnit;
using ProductSearch.Decoding;
using ProductSearch.Functions;
using ProductSearch.Imaging;
using static ArchUnitNET.Fluent.ArchRuleDefinition;
using Assembly = System.Reflection.Assembly;

namespace ProductSearch.ArchitectureTests;

/// <summary>
/// The worker and the CLI never run an image decoder in their own process (docs/security.md, "The decoder process
/// boundary"): they reach pixels only through the decoder processes.
/// </summary>
public sealed class DecodingBoundaryTests
{
    private static readonly Assembly[] Shells =
        [typeof(IndexProductImage).Assembly, Assembly.Load("product-search"), typeof(Tooling.Backfill.CatalogBackfill).Assembly];

    // ImageSharp's entry points that parse bytes: Image.Load*, Image.Identify*, Image.DetectFormat*.
    private static readonly string[] ParsingMethods = ["Load", "Identify", "DetectFormat"];

    [Fact]
    public void TheShellsUseNoInProcessDecoder()
    {
        var architecture = new ArchLoader().LoadAssemblies([typeof(SafeImageLoader).Assembly, .. Shells]).Build();
        var shells = Types().That().ResideInAssembly(Shells[0], Shells[1..]);

        shells.Should().NotDependOnAny(Types().That().HaveFullName(typeof(SafeImageLoader).FullName!)
                .Or().HaveFullName("ProductSearch.Decoding.InProcessPhotoDecoder")
                .Or().HaveFullName(typeof(DecoderHost).FullName!))
            .Check(architecture);
    }

    [Fact]
    public void TheShellsCallNoImageSharpParsingMethod()
    {
        foreach (var shell in Shells)
        {
            Assert.Empty(ParsingCalls(shell));
        }
    }

    [Fact]
    public void TheRuleFindsAParsingCallWhereThereIsOne()
    {
        // The serving library parses bytes (inside the decoder process): the scan must see it there.
        Assert.NotEmpty(ParsingCalls(typeof(SafeImageLoader).Assembly));
    }

    private static List<string> ParsingCalls(Assembly assembly)
    {
        using var pe = new PEReader(File.OpenRead(assembly.Location));
        var reader = pe.GetMetadataReader();
        var calls = new List<string>();
        foreach (var handle in reader.MemberReferences)
        {
            var member = reader.GetMemberReference(handle);
            if (member.Parent.Kind != HandleKind.TypeReference)
            {
                continue;
            }

            var type = reader.GetTypeReference((TypeReferenceHandle)member.Parent);
            var name = reader.GetString(member.Name);
            if (reader.GetString(type.Namespace) == "SixLabors.ImageSharp" && reader.GetString(type.Name) == "Image"
                && ParsingMethods.Any(m => name.StartsWith(m, StringComparison.Ordinal)))
            {
                calls.Add($"{assembly.GetName().Name}: Image.{name}");
            }
        }

        return calls;
    }
}
