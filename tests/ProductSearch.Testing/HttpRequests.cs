using Microsoft.AspNetCore.Http;

namespace ProductSearch.Testing;

/// <summary>Requests as the ASP.NET Core integration hands them to a function.</summary>
public static class HttpRequests
{
    public static HttpRequest Get(string query = "")
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.QueryString = new QueryString(query);
        return context.Request;
    }

    public static HttpRequest Post(byte[] body, string query = "")
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.QueryString = new QueryString(query);
        context.Request.Body = new MemoryStream(body, writable: false);
        context.Request.ContentLength = body.Length;
        return context.Request;
    }

    /// <summary>A PUT with a JSON body, as an admin client sends attributes.</summary>
    public static HttpRequest Put(string json)
    {
        var body = System.Text.Encoding.UTF8.GetBytes(json);
        var context = new DefaultHttpContext();
        context.Request.Method = "PUT";
        context.Request.ContentType = "application/json";
        context.Request.Body = new MemoryStream(body, writable: false);
        context.Request.ContentLength = body.Length;
        return context.Request;
    }
}
