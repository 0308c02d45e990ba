using Azure.Core;

namespace Hotline.Storage;

/// <summary>
/// Options for every client in this library: Azure.Core's retry, timeout, diagnostics and transport
/// settings (<see cref="ClientOptions"/>). Add policies with <see cref="ClientOptions.AddPolicy"/>.
/// </summary>
public sealed class StorageClientOptions : ClientOptions
{
    /// <summary>
    /// The one REST version every request and SAS uses. 2025-05-05 is served by Azure and natively
    /// accepted by Azurite 3.37, and it predates the 2025-07-05 user-delegation SAS layout change.
    /// </summary>
    public const string ServiceVersion = "2025-05-05";

    /// <summary>Creates options with Azure.Core's defaults (3 exponential retries, 100 s network timeout).</summary>
    public StorageClientOptions()
    {
        // Storage requests are small; a hung connection should fail over to a retry well before 100 s.
        Retry.NetworkTimeout = TimeSpan.FromSeconds(30);
    }
}
