namespace ProductSearch.ModelBuilding.Tests;

/// <summary>Fails every request, so a test that should not download cannot reach the internet by accident.</summary>
public sealed class UnreachableNetwork : HttpMessageHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        throw new InvalidOperationException($"Tests must not download ({request.RequestUri}).");
}
