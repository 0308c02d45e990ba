using Azure.Core;
using Azure.Core.Pipeline;

namespace Hotline.Storage.Pipeline;

/// <summary>Builds the Azure.Core pipeline for one service of a <see cref="StorageConnection"/>.</summary>
public static class StoragePipeline
{
    /// <summary>
    /// Azure.Core's standard pipeline (client request id, retries, logging, transport) with the storage
    /// headers and the connection's authentication (Shared Key or bearer token) added per retry.
    /// </summary>
    public static HttpPipeline Build(StorageConnection connection, StorageService service, StorageClientOptions? options)
    {
        ArgumentNullException.ThrowIfNull(connection);
        options ??= new StorageClientOptions();
        HttpPipelinePolicy auth = connection.SharedKey is { } key
            ? new SharedKeyPolicy(key, service)
            : new BearerTokenAuthenticationPolicy(
                connection.Credential ?? throw new ArgumentException("The connection has neither a key nor a credential.", nameof(connection)),
                StorageConnection.StorageScope);
        return HttpPipelineBuilder.Build(new HttpPipelineOptions(options)
        {
            PerRetryPolicies = { new StorageHeadersPolicy(), auth },
            RequestFailedDetailsParser = StorageErrorParser.Instance,
        });
    }
}
