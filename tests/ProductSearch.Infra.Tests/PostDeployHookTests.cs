using System.Diagnostics;

namespace ProductSearch.Infra.Tests;

/// <summary>
/// infra/hooks/postdeploy.sh run for real by bash, against a stub <c>az</c> first on the PATH that records every
/// call and answers like the Azure CLI: the key appears after a few polls, the subscription exists once created.
/// The hook is bash; on Windows azd runs it through Git Bash, which these tests do not model.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PostDeployHookTests : IDisposable
{
    private const string Key = "stub-blobs-extension-key";

    private static readonly string Hook = Path.Combine(RepositoryRoot.Infra, "hooks", "postdeploy.sh");

    private static readonly string[] CreateCall =
    [
        "eventgrid system-topic event-subscription show -g rg-shop --system-topic-name evgt-shop -n index-product-images --query provisioningState -o tsv",
        $"deployment group create -g rg-shop -n blob-created-subscription -f {RepositoryRoot.Infra}/hooks/../app/blob-created-subscription.bicep"
            + " -p systemTopicName=evgt-shop functionAppName=func-shop imagesContainerName=product-images catalogueStorageAccountName=stcatshop"
            + " deadLetterContainerName=event-deadletter --query properties.provisioningState -o tsv",
    ];

    private const string KeyPoll = "functionapp keys list -g rg-shop -n func-shop --query systemKeys.blobs_extension -o tsv";

    private readonly string _stub = Directory.CreateTempSubdirectory("az-stub-").FullName;

    public PostDeployHookTests()
    {
        var az = Path.Combine(_stub, "az");
        File.WriteAllText(az, """
            #!/usr/bin/env bash
            # Stub Azure CLI: records the call, answers from files in its folder.
            dir="$(dirname "$0")"
            printf '%s\n' "$*" >> "$dir/calls.log"
            case "$1 $2 $3" in
              "functionapp keys list")
                polls=$(( $(cat "$dir/polls" 2>/dev/null || echo 0) + 1 )); echo "$polls" > "$dir/polls"
                [ "$polls" -ge "$STUB_KEY_AFTER_POLLS" ] && echo "$STUB_KEY"; exit 0 ;;
              "eventgrid system-topic event-subscription")
                [ -f "$dir/subscription" ] && { echo Succeeded; exit 0; }
                echo "ERROR: (ResourceNotFound) The Resource was not found." >&2; exit 3 ;;
              "deployment group create")
                touch "$dir/subscription"; echo Succeeded; exit 0 ;;
              "deployment group show")
                name="${9#properties.outputs.}"; name="${name%.value}"
                case "$name" in
                  functionAppName) echo func-shop ;; eventGridSystemTopicName) echo evgt-shop ;;
                  imagesContainerName) echo product-images ;; catalogueStorageAccountName) echo stcatshop ;;
                  deadLetterContainerName) echo event-deadletter ;; *) exit 3 ;;
                esac; exit 0 ;;
            esac
            echo "stub az: unexpected call: $*" >&2; exit 2
            """.ReplaceLineEndings("\n"));
        File.SetUnixFileMode(az, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private IEnumerable<string> Calls => File.Exists(Path.Combine(_stub, "calls.log")) ? File.ReadAllLines(Path.Combine(_stub, "calls.log")) : [];

    [Fact]
    public void FirstRun_WaitsForTheBlobsExtensionKeyThenDeploysTheSubscription()
    {
        var result = RunHook(AzdEnvironment(), keyAfterPolls: 3);

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Equal([KeyPoll, KeyPoll, KeyPoll, .. CreateCall], Calls);
        Assert.True(File.Exists(Path.Combine(RepositoryRoot.Infra, "app", "blob-created-subscription.bicep")));
    }

    [Fact]
    public void SecondRun_FindsTheSubscriptionAndChangesNothing()
    {
        Assert.Equal(0, RunHook(AzdEnvironment(), keyAfterPolls: 1).ExitCode);
        File.Delete(Path.Combine(_stub, "calls.log"));

        var again = RunHook(AzdEnvironment(), keyAfterPolls: 1);

        Assert.True(again.ExitCode == 0, again.Output);
        Assert.Equal([KeyPoll, CreateCall[0]], Calls);
        Assert.Contains("already exists; nothing to do", again.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void KeyThatNeverAppears_FailsTheDeployWithTheReasonAndCreatesNothing()
    {
        var result = RunHook(AzdEnvironment(("POSTDEPLOY_KEY_ATTEMPTS", "3")), keyAfterPolls: int.MaxValue);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Equal([KeyPoll, KeyPoll, KeyPoll], Calls);
        Assert.Contains("no blobs_extension system key after 3 attempts", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void PlainAzPath_ReadsTheNamesFromTheMainDeploymentsOutputs()
    {
        var result = RunHook([("AZURE_RESOURCE_GROUP", "rg-shop")], keyAfterPolls: 1);

        Assert.True(result.ExitCode == 0, result.Output);
        var outputs = new[] { "functionAppName", "eventGridSystemTopicName", "imagesContainerName", "catalogueStorageAccountName", "deadLetterContainerName" }
            .Select(name => $"deployment group show -g rg-shop -n main --query properties.outputs.{name}.value -o tsv");
        Assert.Equal([.. outputs, KeyPoll, .. CreateCall], Calls);
    }

    [Fact]
    public void TheKeyNeverAppearsOnACommandLineOrInTheOutput()
    {
        var result = RunHook(AzdEnvironment(), keyAfterPolls: 1);

        Assert.Equal(0, result.ExitCode);
        Assert.DoesNotContain(Key, string.Join('\n', Calls), StringComparison.Ordinal);
        Assert.DoesNotContain(Key, result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingResourceGroup_FailsBeforeCallingAzure()
    {
        var result = RunHook([], keyAfterPolls: 1);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("AZURE_RESOURCE_GROUP is not set", result.Output, StringComparison.Ordinal);
        Assert.Empty(Calls);
    }

    public void Dispose() => Directory.Delete(_stub, recursive: true);

    // What azd passes a hook: its environment values, main.bicep's outputs among them.
    private static (string, string)[] AzdEnvironment(params (string, string)[] extra) =>
    [
        ("AZURE_RESOURCE_GROUP", "rg-shop"),
        ("functionAppName", "func-shop"),
        ("eventGridSystemTopicName", "evgt-shop"),
        ("imagesContainerName", "product-images"),
        ("catalogueStorageAccountName", "stcatshop"),
        ("deadLetterContainerName", "event-deadletter"),
        .. extra,
    ];

    private (int ExitCode, string Output) RunHook((string Name, string Value)[] environment, int keyAfterPolls)
    {
        var startInfo = new ProcessStartInfo("bash", [Hook])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.Environment.Clear();
        startInfo.Environment["PATH"] = $"{_stub}:/usr/bin:/bin";
        startInfo.Environment["HOME"] = _stub;
        startInfo.Environment["STUB_KEY"] = Key;
        startInfo.Environment["STUB_KEY_AFTER_POLLS"] = keyAfterPolls.ToString(System.Globalization.CultureInfo.InvariantCulture);
        startInfo.Environment["POSTDEPLOY_KEY_INTERVAL_SECONDS"] = "0";
        foreach (var (name, value) in environment)
        {
            startInfo.Environment[name] = value;
        }

        using var process = Process.Start(startInfo)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(1)), "The hook did not finish.");
        return (process.ExitCode, output.Result + error.Result);
    }
}
