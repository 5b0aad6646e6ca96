using ProductSearch.Infra.Tests.Bicep;

namespace ProductSearch.Infra.Tests.Arm;

/// <summary>Compiles infra/main.bicep once for all tests that inspect the ARM output.</summary>
public sealed class MainTemplateFixture
{
    private readonly Lazy<CompiledTemplate> _template = new(Compile);

    internal CompiledTemplate Template => _template.Value;

    private static CompiledTemplate Compile()
    {
        var result = BicepCli.Build(RepositoryRoot.InInfra(BicepFiles.MainTemplate));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"bicep build failed ({result.ExitCode}):\n{result.Diagnostics}");
        }

        return new CompiledTemplate(result.StandardOutput);
    }
}

[CollectionDefinition(Name)]
public sealed class MainTemplateCollectionDefinition : ICollectionFixture<MainTemplateFixture>
{
    public const string Name = "Compiled main template";
}
