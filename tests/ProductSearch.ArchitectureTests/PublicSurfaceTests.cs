using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using ProductSearch.Functions;
using ProductSearch.Maintenance;
using ProductSearch.Storage;
using ProductSearch.Telemetry;

namespace ProductSearch.ArchitectureTests;

/// <summary>
/// Internal by default: a type of the serving library is public only because a shell (the function app, the CLI,
/// Tooling, the decoder process, the test harness) names it in its compiled code, or because a public member of such a
/// type shows it (a service's constructor, which dependency injection needs public). Everything else is the library's
/// own business, free to change without a shell noticing.
/// </summary>
public sealed class PublicSurfaceTests
{
    private static readonly Assembly ServingLibrary = typeof(ProductSearchServiceCollectionExtensions).Assembly;

    private static readonly Assembly[] Shells =
    [
        typeof(IndexProductImage).Assembly,
        Assembly.Load("product-search"),
        typeof(Tooling.Backfill.CatalogBackfill).Assembly,
        Assembly.Load("ProductSearch.Decoder"),
        typeof(Testing.AzuriteFixture).Assembly,
    ];

    // Classes of constants: a shell reads their values, which the compiler copies in, so no reference to the type is left.
    private static readonly Type[] ConstantHolders = [typeof(StorageOperations), typeof(StoragePermissions), typeof(ProductSearchTelemetry)];

    [Fact]
    public void EveryPublicTypeOfTheServingLibraryIsOneAShellNeeds() =>
        Assert.Empty(PublicTypesNoShellNeeds(Shells));

    [Fact]
    public void TheRuleReportsAPublicTypeOnlyAMissingShellNeeds()
    {
        // The deleter is public for the function app's DELETE route alone.
        var withoutTheFunctionApp = Shells.Where(shell => shell != typeof(IndexProductImage).Assembly).ToArray();

        Assert.Contains(typeof(ProductImageDeleter).FullName, PublicTypesNoShellNeeds(withoutTheFunctionApp));
    }

    private static List<string?> PublicTypesNoShellNeeds(IEnumerable<Assembly> shells)
    {
        var needed = new HashSet<Type>(ConstantHolders);
        var pending = new Queue<Type>(shells.SelectMany(ServingTypesNamedIn));
        while (pending.TryDequeue(out var type))
        {
            if (!needed.Add(type))
            {
                continue;
            }

            foreach (var shown in ServingTypesShownBy(type))
            {
                pending.Enqueue(shown);
            }
        }

        return [.. ServingLibrary.GetExportedTypes().Where(t => !t.IsNested && !needed.Contains(t)).Select(t => t.FullName).Order()];
    }

    // The library's types a shell's IL refers to: every type reference, including those inside member signatures.
    private static IEnumerable<Type> ServingTypesNamedIn(Assembly shell)
    {
        using var file = File.OpenRead(shell.Location);
        using var pe = new PEReader(file);
        var metadata = pe.GetMetadataReader();
        var names = new List<string>();
        foreach (var handle in metadata.TypeReferences)
        {
            var reference = metadata.GetTypeReference(handle);
            if (reference.ResolutionScope.Kind == HandleKind.AssemblyReference
                && metadata.GetString(metadata.GetAssemblyReference((AssemblyReferenceHandle)reference.ResolutionScope).Name) == ServingLibrary.GetName().Name)
            {
                names.Add($"{metadata.GetString(reference.Namespace)}.{metadata.GetString(reference.Name)}");
            }
        }

        return names.Select(name => ServingLibrary.GetType(name)).OfType<Type>().ToList();
    }

    // The library's types that a type's public and protected members, base type and interfaces show to a caller.
    private static IEnumerable<Type> ServingTypesShownBy(Type type)
    {
        const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var shown = new List<Type>();
        if (type.BaseType is { } baseType)
        {
            shown.Add(baseType);
        }

        shown.AddRange(type.GetInterfaces());
        foreach (var member in type.GetMembers(Declared))
        {
            switch (member)
            {
                case MethodBase method when method.IsPublic || method.IsFamily || method.IsFamilyOrAssembly:
                    shown.AddRange(method.GetParameters().Select(p => p.ParameterType));
                    if (method is MethodInfo withResult)
                    {
                        shown.Add(withResult.ReturnType);
                    }

                    break;
                case PropertyInfo property when property.GetMethod is { IsPublic: true } || property.SetMethod is { IsPublic: true }:
                    shown.Add(property.PropertyType);
                    break;
                case FieldInfo field when field.IsPublic || field.IsFamily:
                    shown.Add(field.FieldType);
                    break;
                case Type nested when nested.IsNestedPublic:
                    shown.Add(nested);
                    break;
            }
        }

        return shown.SelectMany(Unwrapped).Where(t => t.Assembly == ServingLibrary);
    }

    private static IEnumerable<Type> Unwrapped(Type type) =>
        type.HasElementType ? Unwrapped(type.GetElementType()!)
        : type.IsGenericType ? [type.GetGenericTypeDefinition(), .. type.GetGenericArguments().SelectMany(Unwrapped)]
        : [type];
}
