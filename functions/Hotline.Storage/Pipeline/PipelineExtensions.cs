using System.Text;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Hotline.Storage.Pipeline;

/// <summary>The few request helpers the clients share.</summary>
internal static class PipelineExtensions
{
    public static HttpMessage CreateMessage(this HttpPipeline pipeline, RequestMethod method, Uri uri)
    {
        var message = pipeline.CreateMessage();
        message.Request.Method = method;
        message.Request.Uri.Reset(uri);
        return message;
    }

    public static void SetContent(this HttpMessage message, byte[] body, string contentType)
    {
        message.Request.Content = RequestContent.Create(body);
        message.Request.Headers.SetValue("Content-Type", contentType);
    }

    public static void SetUtf8Content(this HttpMessage message, string body, string contentType) =>
        message.SetContent(Encoding.UTF8.GetBytes(body), contentType);

    /// <summary>Sends the message; any status outside <paramref name="expected"/> becomes a <see cref="RequestFailedException"/>.</summary>
    public static async Task<Response> SendExpectingAsync(this HttpPipeline pipeline, HttpMessage message, CancellationToken cancellationToken, params int[] expected)
    {
        await pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        var response = message.Response;
        if (Array.IndexOf(expected, response.Status) < 0)
        {
            throw StorageErrorParser.CreateException(response);
        }
        return response;
    }

    /// <summary>Appends one path segment (percent-encoded) to a base URI that ends with '/'.</summary>
    public static Uri Append(this Uri baseUri, string escapedPathAndQuery) => new(baseUri.AbsoluteUri + escapedPathAndQuery);
}
