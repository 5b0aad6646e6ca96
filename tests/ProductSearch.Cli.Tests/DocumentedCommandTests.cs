using System.Text.RegularExpressions;
using ProductSearch.Cli.Tests.Infrastructure;

namespace ProductSearch.Cli.Tests;

/// <summary>
/// The docs are executable: every command in a fenced shell block of the README and docs/cli.md runs from the
/// repository root exactly as written, against this test's Azurite (through the <c>ProductStorage</c> variable the
/// CLI reads), unless it is in <see cref="NotRunHere"/> with the reason; and the files and links the README names exist.
/// </summary>
[Collection(CliAzuriteCollection.Name)]
public sealed partial class DocumentedCommandTests(AzuriteFixture azurite)
{
    private static readonly string[] Documents = ["README.md", "docs/cli.md"];

    /// <summary>Commands a test here cannot run, each with why. A pattern that matches no command fails the test too.</summary>
    private static readonly (Regex Pattern, string Reason)[] NotRunHere =
    [
        (new(@"^npm start$"), "starts Azure Functions Core Tools, which are not installed where the tests run"),
        (new(@"^npm test$"), "is the test run itself"),
        (new(@"^az "), "needs the Azure CLI, and for most commands an Azure subscription"),
        (new(@"^curl "), "needs the Functions host on localhost:7071 (npm start)"),
        (new(@"^cd infra$"), "enters the folder azd deploys from, for the next line"),
        (new(@"^azd "), "deploys to an Azure subscription with the Azure Developer CLI"),
        (new(@" --account "), "reaches a storage account in Azure by identity"),
        (new(@" model build-vgg16$"), "downloads the Keras VGG16 weights from the internet"),
        (new(@" -- eval "), "runs for minutes over the shared photos; .ci/quality-gate runs it on every CI run"),
        (new(@" --image photo\.jpg "), "photo.jpg stands for the reader's own photo"),
    ];

    /// <summary>Files the README names that exist only once the reader has run a command.</summary>
    private static readonly Dictionary<string, string> MadeByACommand = new(StringComparer.Ordinal)
    {
        ["src/ProductSearch.Functions/local.settings.json"] = "copied from local.settings.sample.json by npm start",
    };

    [Fact]
    public async Task EveryOfflineCommandInTheReadmeAndCliDocsRunsAsWritten()
    {
        var commands = Documents.SelectMany(d => ShellCommands(File.ReadAllText(Path.Combine(RepositoryPaths.Root, d))).Select(c => (Document: d, Command: c))).ToList();
        var toRun = commands.Where(c => !NotRunHere.Any(n => n.Pattern.IsMatch(c.Command))).ToList();
        var unused = NotRunHere.Where(n => !commands.Any(c => n.Pattern.IsMatch(c.Command))).Select(n => n.Pattern.ToString()).ToList();
        Assert.True(unused.Count == 0, "Exclusions that match no documented command (remove them): " + string.Join(", ", unused));
        Assert.Contains(toRun, c => c.Document == "README.md");
        Assert.Contains(toRun, c => c.Document == "docs/cli.md");

        // The README's "Try it" imports the men-tees photos itself, into the app's container and table (the CLI's
        // defaults), which no other test uses; the commands after it read them.
        await using var catalog = new CliCatalog(azurite, "product-images", "productvectors");
        catalog.OwnTable("vectorsresnet18imagenetavgl3l4"); // where the documented reindex writes

        var environment = new Dictionary<string, string> { ["ProductStorage"] = azurite.ConnectionString };
        foreach (var (document, command) in toRun)
        {
            // The docs name the shared photos beside the checkout; a clone elsewhere finds them through PRODUCT_PHOTOS.
            var script = command.Replace("../shared/datasets/products", RepositoryPaths.SharedProducts, StringComparison.Ordinal);
            var result = await CliProcess.RunAsync("bash", ["-c", script], RepositoryPaths.Root, environment);
            Assert.True(result.ExitCode == 0, $"{document}: `{command}`\n{result}");
        }
    }

    [Fact]
    public void TheReadmesLinksAndNamedFilesExist()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md"));
        var links = MarkdownLink().Matches(readme).Select(m => m.Groups[1].Value).Where(l => !l.Contains("://", StringComparison.Ordinal)).ToList();
        var named = Backticked().Matches(readme).Select(m => m.Groups[1].Value).Where(LooksLikeARepositoryPath).ToList();

        Assert.Contains("docs/configuration.md", links);
        Assert.Contains("local.settings.sample.json", named);
        var missing = links.Select(l => l.Split('#')[0]).Concat(named)
            .Where(path => !MadeByACommand.ContainsKey(path))
            .Where(path => !File.Exists(Path.Combine(RepositoryPaths.Root, path)) && !Directory.Exists(Path.Combine(RepositoryPaths.Root, path)))
            .ToList();
        Assert.True(missing.Count == 0, "The README names what does not exist: " + string.Join(", ", missing));
    }

    [Fact]
    public void EveryDocsPageLinkPointsAtAnExistingFileAndHeading()
    {
        var docs = Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root, "docs"), "*.md").Append(Path.Combine(RepositoryPaths.Root, "README.md"));
        var broken = new List<string>();
        foreach (var page in docs)
        {
            foreach (var link in MarkdownLink().Matches(File.ReadAllText(page)).Select(m => m.Groups[1].Value).Where(l => !l.Contains("://", StringComparison.Ordinal)))
            {
                var parts = link.Split('#', 2);
                var target = parts[0].Length == 0 ? page : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(page)!, parts[0]));
                if (!File.Exists(target) && !Directory.Exists(target))
                {
                    broken.Add($"{Path.GetFileName(page)}: {link}");
                }
                else if (parts.Length == 2 && target.EndsWith(".md", StringComparison.Ordinal) && !Anchors(File.ReadAllText(target)).Contains(parts[1]))
                {
                    broken.Add($"{Path.GetFileName(page)}: {link} (no such heading)");
                }
            }
        }

        Assert.True(broken.Count == 0, "Broken links: " + string.Join(", ", broken));
    }

    /// <summary>The commands of the fenced bash/sh blocks: continuation lines joined, comments and blank lines left out.</summary>
    internal static IEnumerable<string> ShellCommands(string markdown)
    {
        foreach (Match block in FencedShellBlock().Matches(markdown))
        {
            var joined = block.Groups[1].Value.Replace("\\\n", " ", StringComparison.Ordinal);
            foreach (var line in joined.Split('\n').Select(l => MultipleSpaces().Replace(l.Trim(), " ")))
            {
                if (line.Length > 0 && !line.StartsWith('#'))
                {
                    yield return line;
                }
            }
        }
    }

    // GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens.
    private static HashSet<string> Anchors(string markdown) =>
        Heading().Matches(markdown)
            .Select(m => AnchorPunctuation().Replace(m.Groups[1].Value.Trim().ToLowerInvariant(), "").Replace(' ', '-'))
            .ToHashSet(StringComparer.Ordinal);

    private static bool LooksLikeARepositoryPath(string text) =>
        !text.Contains(' ', StringComparison.Ordinal) && !text.Contains('<', StringComparison.Ordinal) && !text.Contains('$', StringComparison.Ordinal)
        && (RepositoryFolder().IsMatch(text) || TopLevelFile().IsMatch(text));

    [GeneratedRegex(@"^```(?:bash|sh|shell)[^\n]*\n(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex FencedShellBlock();

    [GeneratedRegex(@" {2,}")]
    private static partial Regex MultipleSpaces();

    [GeneratedRegex(@"\]\(([^)\s]+)\)")]
    private static partial Regex MarkdownLink();

    [GeneratedRegex(@"`([^`\n]+)`")]
    private static partial Regex Backticked();

    [GeneratedRegex(@"^(src|tests|models|infra|docs|\.ci)/[\w./-]+$")]
    private static partial Regex RepositoryFolder();

    [GeneratedRegex(@"^[\w.-]+\.(json|sln|md|sh)$")]
    private static partial Regex TopLevelFile();

    [GeneratedRegex(@"^#{1,6} (.+)$", RegexOptions.Multiline)]
    private static partial Regex Heading();

    [GeneratedRegex(@"[^\w\- ]")]
    private static partial Regex AnchorPunctuation();
}
