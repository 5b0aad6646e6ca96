namespace ProductSearch.BrowserTests.OpenApi;

/// <summary>One real request to the function app, the operation it belongs to and the status it must get.</summary>
public sealed record ApiExchange(string Name, string Method, string Operation, string Url, int ExpectedStatus, Func<HttpContent>? Body = null)
{
    public override string ToString() => Name;
}
