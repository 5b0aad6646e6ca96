using System.Diagnostics;

namespace ProductSearch.Infra.Tests;

/// <summary>
/// infra/hooks/postdeploy.sh run for real by bash, against a stub <c>az</c> first on the PATH that records every
/// call and answers like the Azure CLI: the key appears after a few polls, the subscription exists once created;
/// STUB_* variables make it fail the way the real one does (not logged in, a key it may not read, a handshake).
/// The hook is bash; on Windows azd runs it through Git Bash, which these tests do not model.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PostDeployHookTests : IDisposable
{
    private const string Key = "stub-blobs-extension-key";

    // azd's subscription, which is not the Azure CLI's default (sub-default in the stub).
    private const string Subscription = "sub-123";

    private const string On = " --subscription " + Subscription;

    private static readonly string Hook = Path.Combine(RepositoryRoot.Infra, "hooks", "postdeploy.sh");

    // `az version` asks Azure nothing, so it alone names no subscription.
    private const string VersionCheck = "version --query \"azure-cli\" -o tsv";

    private const string Preflight = "group show -n rg-shop --query id -o tsv" + On;

    private const string Show =
        "eventgrid system-topic event-subscription show -g rg-shop --system-topic-name evgt-shop -n index-product-images --query provisioningState -o tsv" + On;

    private static readonly string Create =
        $"deployment group create -g rg-shop -n blob-created-subscription -f {RepositoryRoot.Infra}/hooks/../app/blob-created-subscription.bicep"
            + " -p systemTopicName=evgt-shop functionAppName=func-shop imagesContainerName=product-images catalogueStorageAccountName=stcatshop"
            + " deadLetterContainerName=event-deadletter --query properties.provisioningState -o tsv" + On;

    private const string KeyPoll = "functionapp keys list -g rg-shop -n func-shop --query systemKeys.blobs_extension -o tsv" + On;

    private readonly string _stub = Directory.CreateTempSubdirectory("az-stub-").FullName;

    public PostDeployHookTests()
    {
        var az = Path.Combine(_stub, "az");
        File.WriteAllText(az, """
            #!/usr/bin/env bash
            # Stub Azure CLI: records the call, answers from files in its folder and from STUB_* variables.
            dir="$(dirname "$0")"
            printf '%s\n' "$*" >> "$dir/calls.log"
            if [ "$1" = "version" ]; then
              echo "${STUB_AZ_VERSION:-2.67.0}"; exit 0
            fi
            if [ -n "${STUB_NOT_LOGGED_IN:-}" ]; then
              echo "ERROR: Please run 'az login' to setup account." >&2; exit 1
            fi
            case "$1 $2 $3" in
              "account show --query")
                echo sub-default; exit 0 ;;
              "group show -n")
                [ "$4" = "rg-shop" ] && { echo /subscriptions/sub/resourceGroups/rg-shop; exit 0; }
                echo "ERROR: (ResourceGroupNotFound) Resource group '$4' could not be found." >&2; exit 3 ;;
              "functionapp keys list")
                if [ -n "${STUB_KEY_ERROR:-}" ]; then echo "ERROR: $STUB_KEY_ERROR" >&2; exit 1; fi
                polls=$(( $(cat "$dir/polls" 2>/dev/null || echo 0) + 1 )); echo "$polls" > "$dir/polls"
                [ "$polls" -ge "$STUB_KEY_AFTER_POLLS" ] && echo "$STUB_KEY"; exit 0 ;;
              "eventgrid system-topic event-subscription")
                [ -f "$dir/subscription" ] && { echo Succeeded; exit 0; }
                echo "ERROR: (ResourceNotFound) The Resource was not found." >&2; exit 3 ;;
              "deployment group create")
                creates=$(( $(cat "$dir/creates" 2>/dev/null || echo 0) + 1 )); echo "$creates" > "$dir/creates"
                if [ "$creates" -le "${STUB_HANDSHAKE_FAILURES:-0}" ]; then
                  echo "ERROR: Webhook validation handshake failed for https://func-shop.azurewebsites.net/runtime/webhooks/blobs. Http POST request failed with response code Unknown." >&2; exit 1
                fi
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
        Assert.Equal([VersionCheck, Preflight, KeyPoll, KeyPoll, KeyPoll, Show, Create], Calls);
        Assert.True(File.Exists(Path.Combine(RepositoryRoot.Infra, "app", "blob-created-subscription.bicep")));
    }

    [Fact]
    public void SecondRun_FindsTheSubscriptionAndChangesNothing()
    {
        Assert.Equal(0, RunHook(AzdEnvironment(), keyAfterPolls: 1).ExitCode);
        File.Delete(Path.Combine(_stub, "calls.log"));

        var again = RunHook(AzdEnvironment(), keyAfterPolls: 1);

        Assert.True(again.ExitCode == 0, again.Output);
        Assert.Equal([VersionCheck, Preflight, KeyPoll, Show], Calls);
        Assert.Contains("already exists; nothing to do", again.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void KeyThatNeverAppears_FailsTheDeployWithTheReasonAndCreatesNothing()
    {
        var result = RunHook(AzdEnvironment(("POSTDEPLOY_KEY_ATTEMPTS", "3")), keyAfterPolls: int.MaxValue);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Equal([VersionCheck, Preflight, KeyPoll, KeyPoll, KeyPoll], Calls);
        Assert.Contains("no blobs_extension system key after 3 attempts", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void PlainAzPath_ReadsTheNamesFromTheMainDeploymentsOutputs()
    {
        var result = RunHook([("AZURE_RESOURCE_GROUP", "rg-shop"), ("AZURE_SUBSCRIPTION_ID", Subscription)], keyAfterPolls: 1);

        Assert.True(result.ExitCode == 0, result.Output);
        var outputs = new[] { "functionAppName", "eventGridSystemTopicName", "imagesContainerName", "catalogueStorageAccountName", "deadLetterContainerName" }
            .Select(name => $"deployment group show -g rg-shop -n main --query properties.outputs.{name}.value -o tsv{On}");
        Assert.Equal([VersionCheck, Preflight, .. outputs, KeyPoll, Show, Create], Calls);
    }

    [Fact]
    public void WithoutAzdsSubscription_NamesTheCliDefaultOnceAndPassesItOnEveryCall()
    {
        var result = RunHook([.. AzdEnvironment().Where(pair => pair.Item1 != "AZURE_SUBSCRIPTION_ID")], keyAfterPolls: 1);

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Equal([VersionCheck, "account show --query id -o tsv"], Calls.Take(2));
        Assert.All(Calls.Skip(2), call => Assert.EndsWith(" --subscription sub-default", call, StringComparison.Ordinal));
        Assert.Contains("using the Azure CLI's default subscription sub-default", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryCall_NamesAzdsSubscription()
    {
        var result = RunHook(AzdEnvironment(("POSTDEPLOY_FORCE", "1")), keyAfterPolls: 2, ("STUB_HANDSHAKE_FAILURES", "1"));

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.True(Calls.Count() >= 7, string.Join('\n', Calls));
        Assert.Equal(VersionCheck, Calls.First());
        Assert.All(Calls.Skip(1), call => Assert.EndsWith(On, call, StringComparison.Ordinal));
    }

    [Fact]
    public void NotLoggedIn_FailsAtOnceWithAzsOwnMessageAndPollsNothing()
    {
        var watch = Stopwatch.StartNew();
        var result = RunHook(AzdEnvironment(), keyAfterPolls: 1, ("STUB_NOT_LOGGED_IN", "1"));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Please run 'az login' to setup account.", result.Output, StringComparison.Ordinal);
        Assert.Equal([VersionCheck, Preflight], Calls);
        Assert.DoesNotContain("waiting for", result.Output, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"took {watch.Elapsed}");
    }

    [Fact]
    public void MissingResourceGroup_FailsAtOnceWithAzsOwnMessage()
    {
        var result = RunHook(AzdEnvironment(("AZURE_RESOURCE_GROUP", "rg-elsewhere")), keyAfterPolls: 1);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Resource group 'rg-elsewhere' could not be found", result.Output, StringComparison.Ordinal);
        Assert.Equal([VersionCheck, "group show -n rg-elsewhere --query id -o tsv" + On], Calls);
    }

    [Fact]
    public void AnErrorFromTheKeyPoll_FailsWithItsMessageInsteadOfWaiting()
    {
        var result = RunHook(AzdEnvironment(), keyAfterPolls: 1, ("STUB_KEY_ERROR", "(AuthorizationFailed) The client does not have authorization to perform action 'Microsoft.Web/sites/host/listkeys/action'."));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("AuthorizationFailed", result.Output, StringComparison.Ordinal);
        Assert.Equal([VersionCheck, Preflight, KeyPoll], Calls);
        Assert.DoesNotContain("no blobs_extension system key", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEmptyKey_IsPolledAgain()
    {
        var result = RunHook(AzdEnvironment(), keyAfterPolls: 4);

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Equal(4, Calls.Count(call => call == KeyPoll));
        Assert.Contains("waiting for func-shop to load the Event Grid blob trigger (3/30)", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void AFailedValidationHandshake_IsRetriedUntilTheSubscriptionIsCreated()
    {
        var result = RunHook(AzdEnvironment(), keyAfterPolls: 1, ("STUB_HANDSHAKE_FAILURES", "2"));

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Equal([VersionCheck, Preflight, KeyPoll, Show, Create, Create, Create], Calls);
        Assert.Contains("validation handshake failed (instance still starting?); trying again (2/5)", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void AHandshakeThatKeepsFailing_FailsTheDeployWithEventGridsMessage()
    {
        var result = RunHook(AzdEnvironment(("POSTDEPLOY_CREATE_ATTEMPTS", "3")), keyAfterPolls: 1, ("STUB_HANDSHAKE_FAILURES", "99"));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Equal([VersionCheck, Preflight, KeyPoll, Show, Create, Create, Create], Calls);
        Assert.Contains("Webhook validation handshake failed", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void TheKeyNeverAppearsOnACommandLineOrInTheOutput()
    {
        var result = RunHook(AzdEnvironment(), keyAfterPolls: 1);

        Assert.Equal(0, result.ExitCode);
        Assert.DoesNotContain(Key, string.Join('\n', Calls), StringComparison.Ordinal);
        Assert.DoesNotContain(Key, result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2.59.1")]
    [InlineData("2.9.0")]
    [InlineData("1.99.99")]
    public void AnAzureCliOlderThanFlexNeeds_FailsAtOnceNamingTheMinimum(string version)
    {
        var result = RunHook(AzdEnvironment(), keyAfterPolls: 1, ("STUB_AZ_VERSION", version));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"the Azure CLI is {version}; this hook needs 2.60.0 or later (az upgrade)", result.Output, StringComparison.Ordinal);
        Assert.Equal([VersionCheck], Calls);
    }

    [Theory]
    [InlineData("2.60.0")]
    [InlineData("2.60.1")]
    [InlineData("2.100.0")]
    [InlineData("3.0.0")]
    public void AnAzureCliOfTheMinimumOrLater_GoesOn(string version)
    {
        var result = RunHook(AzdEnvironment(), keyAfterPolls: 1, ("STUB_AZ_VERSION", version));

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Equal([VersionCheck, Preflight, KeyPoll, Show, Create], Calls);
    }

    [Fact]
    public void UnsetResourceGroup_FailsBeforeCallingAzure()
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
        ("AZURE_SUBSCRIPTION_ID", Subscription),
        ("AZURE_RESOURCE_GROUP", "rg-shop"),
        ("functionAppName", "func-shop"),
        ("eventGridSystemTopicName", "evgt-shop"),
        ("imagesContainerName", "product-images"),
        ("catalogueStorageAccountName", "stcatshop"),
        ("deadLetterContainerName", "event-deadletter"),
        .. extra,
    ];

    private (int ExitCode, string Output) RunHook((string Name, string Value)[] environment, int keyAfterPolls, params (string Name, string Value)[] stub)
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
        startInfo.Environment["POSTDEPLOY_CREATE_INTERVAL_SECONDS"] = "0";
        foreach (var (name, value) in environment.Concat(stub))
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
