namespace ProductSearch.Cli.Commands;

/// <summary>Settings of a command that can print its result as JSON (<c>--json</c>).</summary>
internal interface IJsonSettings
{
    bool Json { get; }
}
