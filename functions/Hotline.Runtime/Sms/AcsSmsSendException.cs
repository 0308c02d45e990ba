using Azure;

namespace Hotline.Runtime.Sms;

/// <summary>
/// Communication Services answered 202 but did not accept the message for its recipient (the per-recipient
/// result had <c>successful: false</c>). <see cref="RequestFailedException.Status"/> is the recipient's
/// <c>httpStatusCode</c>. Thrown so the effect runner retries the send and finally poisons it, where staff see it.
/// The message names the matter and notice kind, never the phone number or the text.
/// </summary>
public sealed class AcsSmsSendException : RequestFailedException
{
    /// <summary>Creates the exception.</summary>
    public AcsSmsSendException(int status, string message, string? repeatabilityResult = null)
        : base(status, message)
    {
        RepeatabilityResult = repeatabilityResult;
    }

    /// <summary>Creates the exception without a status.</summary>
    public AcsSmsSendException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception without a status, wrapping another.</summary>
    public AcsSmsSendException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception without a status or message.</summary>
    public AcsSmsSendException()
        : base("Communication Services did not accept the SMS.")
    {
    }

    /// <summary>The recipient's <c>repeatabilityResult</c> ("accepted" or "rejected"), when the service reported one.</summary>
    public string? RepeatabilityResult { get; }

    /// <summary>
    /// True when the service refused the repeatability fields: 412 (the first-sent instant is older than the
    /// service's tracking window, so it can no longer tell whether an earlier attempt went out) or a rejected
    /// repeatability result. Sending again under a new id could deliver the SMS twice; staff decide.
    /// </summary>
    public bool RepeatabilityRefused =>
        Status == 412 || string.Equals(RepeatabilityResult, "rejected", StringComparison.OrdinalIgnoreCase);
}
