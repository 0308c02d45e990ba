using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Hotline.Storage.Pipeline;

namespace Hotline.Storage.Queues;

/// <summary>What Put Message returned: the new message's id, first pop receipt and times.</summary>
public sealed record SendReceipt(string MessageId, string PopReceipt, DateTimeOffset InsertedOn, DateTimeOffset ExpiresOn, DateTimeOffset NextVisibleOn);

/// <summary>A message taken by Get Messages: invisible to others until <see cref="NextVisibleOn"/>.</summary>
public sealed record QueueMessage(
    string MessageId, string PopReceipt, long DequeueCount, string Text, DateTimeOffset InsertedOn, DateTimeOffset ExpiresOn, DateTimeOffset NextVisibleOn);

/// <summary>A message seen by Peek Messages (not taken: no pop receipt).</summary>
public sealed record PeekedMessage(string MessageId, long DequeueCount, string Text, DateTimeOffset InsertedOn, DateTimeOffset ExpiresOn);

/// <summary>What Update Message returned: the receipt to use next and the new visibility time.</summary>
public sealed record UpdateReceipt(string PopReceipt, DateTimeOffset NextVisibleOn);

/// <summary>
/// One queue of the Queue service, used to deliver alarms and effects at least once: a message put with
/// a visibility delay stays invisible until due (the longest delay is 7 days, so longer alarms are
/// re-armed), a received message comes back unless deleted with its pop receipt before its visibility
/// timeout ends.
/// <para>
/// Message text is sent as base64 of its UTF-8 bytes, the encoding the Functions queue trigger and the
/// Azure SDKs' base64 option expect, so any text (XML-unsafe characters included) survives. Text that
/// arrives not in base64 (put by another producer) is returned as it is.
/// </para>
/// </summary>
public sealed partial class QueueClient
{
    /// <summary>Longest visibility delay or timeout the service allows.</summary>
    public static readonly TimeSpan MaxVisibilityTimeout = TimeSpan.FromDays(7);

    /// <summary>Largest message text: 64 KiB once base64-encoded.</summary>
    public const int MaxMessageBytes = 48 * 1024;

    private readonly HttpPipeline _pipeline;

    /// <summary>Creates a client for queue <paramref name="queueName"/> (3–63 lowercase letters, digits, single dashes).</summary>
    public QueueClient(StorageConnection connection, string queueName, StorageClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(queueName);
        if (!QueueNamePattern().IsMatch(queueName) || queueName.Contains("--", StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{queueName}' is not a valid queue name: 3-63 lowercase letters, digits and single dashes, starting and ending with a letter or digit.", nameof(queueName));
        }
        Name = queueName;
        Uri = connection.QueueEndpoint.Append(queueName);
        _pipeline = StoragePipeline.Build(connection, StorageService.Queue, options);
    }

    /// <summary>The queue's name.</summary>
    public string Name { get; }

    /// <summary>The queue's URI.</summary>
    public Uri Uri { get; }

    /// <summary>Creates the queue; the value is true when it was created, false when it already existed.</summary>
    public async Task<Response<bool>> CreateIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        using var message = _pipeline.CreateMessage(RequestMethod.Put, Uri);
        // 201: created; 204: it existed with the same (no) metadata.
        var response = await _pipeline.SendExpectingAsync(message, cancellationToken, 201, 204).ConfigureAwait(false);
        return Response.FromValue(response.Status == 201, response);
    }

    /// <summary>
    /// Puts a message, invisible for <paramref name="visibilityDelay"/> (0 to 7 days), kept for
    /// <paramref name="timeToLive"/> (default 7 days; <see cref="Timeout.InfiniteTimeSpan"/> for never expiring).
    /// </summary>
    public async Task<Response<SendReceipt>> SendMessageAsync(string text, TimeSpan? visibilityDelay = null, TimeSpan? timeToLive = null, CancellationToken cancellationToken = default)
    {
        var delay = visibilityDelay ?? TimeSpan.Zero;
        CheckRange(delay, TimeSpan.Zero, nameof(visibilityDelay));
        var query = $"?visibilitytimeout={Seconds(delay)}";
        if (timeToLive is { } ttl)
        {
            if (ttl != Timeout.InfiniteTimeSpan && ttl < TimeSpan.FromSeconds(1))
            {
                throw new ArgumentOutOfRangeException(nameof(timeToLive), ttl, "Time to live must be at least 1 second, or infinite.");
            }
            if (ttl != Timeout.InfiniteTimeSpan && delay >= ttl)
            {
                throw new ArgumentOutOfRangeException(nameof(visibilityDelay), delay, "The visibility delay must be shorter than the time to live.");
            }
            query += "&messagettl=" + (ttl == Timeout.InfiniteTimeSpan ? "-1" : Seconds(ttl));
        }
        using var message = _pipeline.CreateMessage(RequestMethod.Post, new Uri(Uri.AbsoluteUri + "/messages" + query));
        message.SetUtf8Content(MessageXml(text), "application/xml");
        var response = await _pipeline.SendExpectingAsync(message, cancellationToken, 201).ConfigureAwait(false);
        var m = Messages(response).Single();
        return Response.FromValue(
            new SendReceipt(Value(m, "MessageId"), Value(m, "PopReceipt"), Time(m, "InsertionTime"), Time(m, "ExpirationTime"), Time(m, "TimeNextVisible")),
            response);
    }

    /// <summary>
    /// Takes up to <paramref name="maxMessages"/> (1–32) visible messages, hiding them for
    /// <paramref name="visibilityTimeout"/> (1 s to 7 days, default 30 s). Empty when none is visible.
    /// </summary>
    public async Task<Response<IReadOnlyList<QueueMessage>>> ReceiveMessagesAsync(int maxMessages = 1, TimeSpan? visibilityTimeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessages, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxMessages, 32);
        var timeout = visibilityTimeout ?? TimeSpan.FromSeconds(30);
        CheckRange(timeout, TimeSpan.FromSeconds(1), nameof(visibilityTimeout));
        var uri = new Uri($"{Uri.AbsoluteUri}/messages?numofmessages={maxMessages.ToString(CultureInfo.InvariantCulture)}&visibilitytimeout={Seconds(timeout)}");
        using var message = _pipeline.CreateMessage(RequestMethod.Get, uri);
        var response = await _pipeline.SendExpectingAsync(message, cancellationToken, 200).ConfigureAwait(false);
        var list = Messages(response).Select(m => new QueueMessage(
            Value(m, "MessageId"), Value(m, "PopReceipt"), long.Parse(Value(m, "DequeueCount"), CultureInfo.InvariantCulture), Decode(Value(m, "MessageText")),
            Time(m, "InsertionTime"), Time(m, "ExpirationTime"), Time(m, "TimeNextVisible"))).ToList();
        return Response.FromValue<IReadOnlyList<QueueMessage>>(list, response);
    }

    /// <summary>Looks at up to <paramref name="maxMessages"/> (1–32) visible messages without taking them.</summary>
    public async Task<Response<IReadOnlyList<PeekedMessage>>> PeekMessagesAsync(int maxMessages = 1, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessages, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxMessages, 32);
        var uri = new Uri($"{Uri.AbsoluteUri}/messages?peekonly=true&numofmessages={maxMessages.ToString(CultureInfo.InvariantCulture)}");
        using var message = _pipeline.CreateMessage(RequestMethod.Get, uri);
        var response = await _pipeline.SendExpectingAsync(message, cancellationToken, 200).ConfigureAwait(false);
        var list = Messages(response).Select(m => new PeekedMessage(
            Value(m, "MessageId"), long.Parse(Value(m, "DequeueCount"), CultureInfo.InvariantCulture), Decode(Value(m, "MessageText")),
            Time(m, "InsertionTime"), Time(m, "ExpirationTime"))).ToList();
        return Response.FromValue<IReadOnlyList<PeekedMessage>>(list, response);
    }

    /// <summary>
    /// Deletes a received message. The value is false when the service no longer has it under that pop
    /// receipt (already deleted or expired: 404; received again by someone else: 400 PopReceiptMismatch):
    /// at-least-once handlers treat that as done.
    /// </summary>
    public async Task<Response<bool>> DeleteMessageAsync(string messageId, string popReceipt, CancellationToken cancellationToken = default)
    {
        using var message = _pipeline.CreateMessage(RequestMethod.Delete, MessageUri(messageId, popReceipt, null));
        // 404: gone (deleted, expired). 400 PopReceiptMismatch: it was received again since, so the
        // receipt is stale and the message now belongs to that later receiver.
        var response = await _pipeline.SendExpectingAsync(message, cancellationToken, 204, 404, 400).ConfigureAwait(false);
        if (response.Status == 400 && StorageErrorParser.ErrorCode(response) != "PopReceiptMismatch")
        {
            throw StorageErrorParser.CreateException(response);
        }
        return Response.FromValue(response.Status == 204, response);
    }

    /// <summary>
    /// Changes a received message's visibility (0 s to 7 days from now) and, when <paramref name="newText"/>
    /// is given, its text. Returns the new pop receipt, which replaces the old one.
    /// </summary>
    public async Task<Response<UpdateReceipt>> UpdateMessageAsync(string messageId, string popReceipt, TimeSpan visibilityTimeout, string? newText = null, CancellationToken cancellationToken = default)
    {
        CheckRange(visibilityTimeout, TimeSpan.Zero, nameof(visibilityTimeout));
        using var message = _pipeline.CreateMessage(RequestMethod.Put, MessageUri(messageId, popReceipt, visibilityTimeout));
        if (newText is not null)
        {
            message.SetUtf8Content(MessageXml(newText), "application/xml");
        }
        var response = await _pipeline.SendExpectingAsync(message, cancellationToken, 204).ConfigureAwait(false);
        response.Headers.TryGetValue("x-ms-popreceipt", out var receipt);
        response.Headers.TryGetValue("x-ms-time-next-visible", out var nextVisible);
        return Response.FromValue(
            new UpdateReceipt(receipt ?? throw new FormatException("Update Message returned no x-ms-popreceipt."), ParseTime(nextVisible ?? "")),
            response);
    }

    private Uri MessageUri(string messageId, string popReceipt, TimeSpan? visibility)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        ArgumentException.ThrowIfNullOrEmpty(popReceipt);
        var uri = $"{Uri.AbsoluteUri}/messages/{Uri.EscapeDataString(messageId)}?popreceipt={Uri.EscapeDataString(popReceipt)}";
        return new Uri(visibility is { } v ? uri + "&visibilitytimeout=" + Seconds(v) : uri);
    }

    private static string MessageXml(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var bytes = Encoding.UTF8.GetBytes(text);
        if (bytes.Length > MaxMessageBytes)
        {
            throw new ArgumentException($"Message text is {bytes.Length} bytes; at most {MaxMessageBytes} fit in a queue message.", nameof(text));
        }
        return new XElement("QueueMessage", new XElement("MessageText", Convert.ToBase64String(bytes))).ToString(SaveOptions.DisableFormatting);
    }

    private static string Decode(string text)
    {
        var buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out var written)
            ? Encoding.UTF8.GetString(buffer, 0, written)
            : text;
    }

    private static IEnumerable<XElement> Messages(Response response) =>
        XDocument.Parse(response.Content.ToString()).Root?.Elements("QueueMessage") ?? [];

    private static string Value(XElement message, string name) =>
        message.Element(name)?.Value ?? throw new FormatException($"Queue message lacks {name}.");

    private static DateTimeOffset Time(XElement message, string name) => ParseTime(Value(message, name));

    private static DateTimeOffset ParseTime(string rfc1123) =>
        DateTimeOffset.Parse(rfc1123, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private static string Seconds(TimeSpan span) => ((long)Math.Ceiling(span.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    private static void CheckRange(TimeSpan value, TimeSpan min, string name)
    {
        if (value < min || value > MaxVisibilityTimeout)
        {
            throw new ArgumentOutOfRangeException(name, value, $"Must be between {min} and {MaxVisibilityTimeout}.");
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$")]
    private static partial Regex QueueNamePattern();
}
