using ProductSearch.Infra.Tests.Bicep;

namespace ProductSearch.Infra.Tests;

public class BicepSourceTests
{
    public static TheoryData<string> BicepFileNames => BicepFiles.AllAsTheoryData();

    [Fact]
    public void Infra_ContainsTheMainTemplateAndItsModules()
    {
        Assert.Contains(BicepFiles.MainTemplate, BicepFiles.All);
        Assert.True(BicepFiles.All.Count > 1, "main.bicep is expected to be split into local modules.");
    }

    [Theory]
    [MemberData(nameof(BicepFileNames))]
    public void BicepFile_BuildsWithoutDiagnostics(string bicepFile)
    {
        var result = BicepCli.Build(RepositoryRoot.InInfra(bicepFile));

        Assert.True(result.ExitCode == 0, $"bicep build {bicepFile} exited {result.ExitCode}:\n{result.StandardError}");
        Assert.True(result.StandardError.Length == 0, $"bicep build {bicepFile} reported:\n{result.StandardError}");
    }

    [Theory]
    [MemberData(nameof(BicepFileNames))]
    public void BicepFile_LintsWithoutWarningsOrErrors(string bicepFile)
    {
        var result = BicepCli.Lint(RepositoryRoot.InInfra(bicepFile));

        // bicep lint exits 0 on warnings, so the output is what tells a clean file.
        Assert.True(result.ExitCode == 0, $"bicep lint {bicepFile} exited {result.ExitCode}:\n{result.Diagnostics}");
        Assert.DoesNotContain(" : Warning ", result.Diagnostics, StringComparison.Ordinal);
        Assert.DoesNotContain(" : Error ", result.Diagnostics, StringComparison.Ordinal);
    }

    [Fact]
    public void Templates_UseOnlyLocalModules()
    {
        // Registry modules (br:, br/public:, ts:) cannot be restored where the tests run.
        foreach (var bicepFile in BicepFiles.All)
        {
            var source = File.ReadAllText(RepositoryRoot.InInfra(bicepFile));
            Assert.DoesNotContain("'br:", source, StringComparison.Ordinal);
            Assert.DoesNotContain("'br/", source, StringComparison.Ordinal);
            Assert.DoesNotContain("'ts:", source, StringComparison.Ordinal);
        }
    }
}
