using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace Hotline.Runtime.Sms;

/// <summary>
/// Turns an <see cref="SmsMessage.RepeatabilityKey"/> into the GUID Communication Services wants as
/// <c>repeatabilityRequestId</c>. The id must be the same on every attempt of one effect, also after a process
/// restart, so it is a name-based UUID (RFC 9562 version 5: SHA-1 over namespace + UTF-8 name) rather than a
/// random one: the same key always gives the same id, different keys give different ids.
/// </summary>
public static class AcsRepeatability
{
    /// <summary>
    /// The namespace of Hotline SMS repeatability keys. A dedicated namespace keeps these ids apart from
    /// name-based UUIDs other systems derive from similar strings. Never change it: in-flight retries would get
    /// new ids and the service would send them again.
    /// </summary>
    public static readonly Guid Namespace = new("2ae90d5e-9c31-4f42-a22f-e7d132eb2ccd");

    /// <summary>The repeatability request id for <paramref name="repeatabilityKey"/>.</summary>
    public static Guid RequestId(string repeatabilityKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(repeatabilityKey);
        return NameBasedUuid(Namespace, repeatabilityKey);
    }

    /// <summary>RFC 9562 version 5 UUID of <paramref name="name"/> (UTF-8) in <paramref name="namespaceId"/>.</summary>
    [SuppressMessage("Security", "CA5350:Do Not Use Weak Cryptographic Algorithms",
        Justification = "Version 5 UUIDs are defined over SHA-1; the hash only spreads names over ids and protects nothing.")]
    public static Guid NameBasedUuid(Guid namespaceId, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var input = new byte[16 + nameBytes.Length];
        // RFC 9562 hashes the namespace in network byte order, not .NET's mixed-endian layout.
        namespaceId.TryWriteBytes(input, bigEndian: true, out _);
        nameBytes.CopyTo(input, 16);
        var hash = SHA1.HashData(input);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50); // version 5
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80); // RFC 9562 variant
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
