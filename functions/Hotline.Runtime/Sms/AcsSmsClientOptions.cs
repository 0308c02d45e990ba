using Azure.Core;

namespace Hotline.Runtime.Sms;

/// <summary>
/// Options for <see cref="AcsSmsSender"/>: Azure.Core's retry, timeout, diagnostics and transport settings
/// (<see cref="ClientOptions"/>) and the SMS send options. Content logging is always forced off by the sender:
/// request bodies carry phone numbers and message text.
/// </summary>
public sealed class AcsSmsClientOptions : ClientOptions
{
    /// <summary>Creates options with Azure.Core's defaults (3 exponential retries) and a 30 s network timeout.</summary>
    public AcsSmsClientOptions()
    {
        // A send is one small POST; a hung connection should fail over to a retry well before Azure.Core's 100 s.
        Retry.NetworkTimeout = TimeSpan.FromSeconds(30);
    }

    /// <summary>Ask for a delivery report on Event Grid (tagged with the matter id and notice kind). Default true.</summary>
    public bool EnableDeliveryReport { get; set; } = true;
}
