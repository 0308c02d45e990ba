using System.Globalization;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Hotline.Storage.Pipeline;

/// <summary>
/// Stamps every attempt with x-ms-version and a fresh x-ms-date. Both are required by Shared Key and
/// by bearer-token requests alike, and the date must be renewed per retry (the service rejects stale dates).
/// </summary>
public sealed class StorageHeadersPolicy : HttpPipelineSynchronousPolicy
{
    private readonly TimeProvider _time;

    /// <summary>Creates the policy; <paramref name="time"/> defaults to the system clock.</summary>
    public StorageHeadersPolicy(TimeProvider? time = null) => _time = time ?? TimeProvider.System;

    /// <inheritdoc />
    public override void OnSendingRequest(HttpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        message.Request.Headers.SetValue("x-ms-version", StorageClientOptions.ServiceVersion);
        message.Request.Headers.SetValue("x-ms-date", _time.GetUtcNow().ToString("R", CultureInfo.InvariantCulture));
    }
}
