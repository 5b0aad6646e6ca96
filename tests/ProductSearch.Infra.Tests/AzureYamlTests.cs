using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace ProductSearch.Infra.Tests;

/// <summary>
/// infra/azure.yaml, azd's project file. Its published JSON schema is not reachable where the tests run, so this
/// checks what the schema requires (name; a host per service; requiredVersions.azd a range, as azd's schema says)
/// and what azd does with the file: it finds it by walking up from the current folder and resolves every path
/// against the file's own folder.
/// </summary>
public class AzureYamlTests
{
    public const string ServiceName = "api";

    private static readonly string ProjectDirectory = RepositoryRoot.Infra;

    private static readonly YamlMappingNode Project = Load();

    [Fact]
    public void AzureYaml_SitsInInfraSoTheTopLevelStaysFixed()
    {
        Assert.True(File.Exists(Path.Combine(RepositoryRoot.Infra, "azure.yaml")));
        Assert.False(File.Exists(Path.Combine(RepositoryRoot.Path, "azure.yaml")), "The repository's top level is fixed: azure.yaml belongs in infra/.");
    }

    [Fact]
    public void AzureYaml_HasTheKeysItsSchemaRequires()
    {
        Assert.False(string.IsNullOrWhiteSpace(Scalar(Project, "name")));
        var services = Mapping(Project, "services");
        Assert.NotEmpty(services.Children);
        Assert.All(services.Children, service => Assert.False(string.IsNullOrWhiteSpace(Scalar((YamlMappingNode)service.Value, "host"))));
    }

    [Fact]
    public void Service_PublishesTheFunctionAppProjectToAFunctionHost()
    {
        var service = Mapping(Mapping(Project, "services"), ServiceName);
        var project = Path.GetFullPath(Path.Combine(ProjectDirectory, Scalar(service, "project")));

        Assert.Equal("function", Scalar(service, "host"));
        Assert.Equal("dotnet", Scalar(service, "language"));
        Assert.Equal(Path.Combine(RepositoryRoot.Path, "src", "ProductSearch.Functions"), project);
        Assert.Single(Directory.GetFiles(project, "*.csproj"));
    }

    [Fact]
    public void Infra_PointsAtMainBicepAndItsParametersWithAzdsEnvironment()
    {
        var infra = Mapping(Project, "infra");
        var folder = Path.GetFullPath(Path.Combine(ProjectDirectory, Scalar(infra, "path")));
        var module = Scalar(infra, "module");

        Assert.Equal("bicep", Scalar(infra, "provider"));
        Assert.True(File.Exists(Path.Combine(folder, module + ".bicep")));
        var parameters = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, module + ".parameters.json")))!["parameters"]!;
        Assert.Equal("${AZURE_ENV_NAME}", (string?)parameters["environmentName"]!["value"]);
    }

    [Fact]
    public void RequiredVersions_RefuseAnAzdThatDoesNotSetThePrincipalType()
    {
        // main.parameters.json passes AZURE_PRINCIPAL_TYPE, which azd sets from 1.17.1 on; docs/deployment.md says the same.
        var parameters = JsonNode.Parse(File.ReadAllText(RepositoryRoot.InInfra("main.parameters.json")))!["parameters"]!;
        Assert.Equal("${AZURE_PRINCIPAL_TYPE}", (string?)parameters["uploaderPrincipalType"]!["value"]);

        Assert.Equal(">= 1.17.1", Scalar(Mapping(Project, "requiredVersions"), "azd"));
        Assert.Contains("**1.17.1 or later**", File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "deployment.md")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("prepackage")]
    [InlineData("postdeploy")]
    public void Hook_IsAnExecutableBashScriptThatFailsTheDeployOnError(string name)
    {
        var hook = Mapping(Mapping(Project, "hooks"), name);
        var script = Path.GetFullPath(Path.Combine(ProjectDirectory, Scalar(hook, "run")));

        Assert.Equal("sh", Scalar(hook, "shell"));
        Assert.Equal("false", Scalar(hook, "continueOnError"));
        Assert.Equal(Path.Combine(RepositoryRoot.Infra, "hooks", name + ".sh"), script);
        Assert.StartsWith("#!/usr/bin/env bash", File.ReadAllText(script), StringComparison.Ordinal);
        // azd runs a posix hook as a program (its shebang picks bash), so the checkout must keep the execute bit.
        if (!OperatingSystem.IsWindows())
        {
            Assert.True(File.GetUnixFileMode(script).HasFlag(UnixFileMode.UserExecute), $"{script} is not executable.");
        }
    }

    private static YamlMappingNode Load()
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(Path.Combine(RepositoryRoot.Infra, "azure.yaml"));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }

    private static YamlMappingNode Mapping(YamlMappingNode parent, string key) =>
        Assert.IsType<YamlMappingNode>(parent.Children[new YamlScalarNode(key)]);

    private static string Scalar(YamlMappingNode parent, string key) =>
        Assert.IsType<YamlScalarNode>(parent.Children[new YamlScalarNode(key)]).Value!;
}
