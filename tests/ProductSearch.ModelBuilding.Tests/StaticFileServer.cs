using System.Net;

namespace ProductSearch.ModelBuilding.Tests;

/// <summary>Answers requests for one address with fixed bytes, standing in for the weights download.</summary>
public sealed class StaticFileServer(Uri address, byte[] content) : HttpMessageHandler
{
    public int RequestCount { get; private set; }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        RequestCount++;
        var response = request.RequestUri == address
            ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(content) }
            : new HttpResponseMessage(HttpStatusCode.NotFound);
        return Task.FromResult(response);
    }
}
