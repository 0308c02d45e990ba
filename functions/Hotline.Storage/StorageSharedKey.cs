using System.Security.Cryptography;
using System.Text;

namespace Hotline.Storage;

/// <summary>A storage account name and its (base64) account key; signs Shared Key strings and service SAS.</summary>
public sealed class StorageSharedKey
{
    private readonly byte[] _key;

    /// <summary>Creates the key; <paramref name="base64Key"/> is the account key exactly as the portal shows it.</summary>
    /// <exception cref="FormatException">The key is not base64.</exception>
    public StorageSharedKey(string accountName, string base64Key)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accountName);
        ArgumentException.ThrowIfNullOrWhiteSpace(base64Key);
        AccountName = accountName;
        try
        {
            _key = Convert.FromBase64String(base64Key);
        }
        catch (FormatException)
        {
            // Do not echo the key: connection strings end up in logs.
            throw new FormatException("The storage account key is not valid base64.");
        }
    }

    /// <summary>The storage account name.</summary>
    public string AccountName { get; }

    /// <summary>Base64 HMAC-SHA256 of the UTF-8 <paramref name="stringToSign"/> under the account key.</summary>
    public string Sign(string stringToSign) => Sign(_key, stringToSign);

    internal static string Sign(byte[] key, string stringToSign) =>
        Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));

    /// <inheritdoc />
    public override string ToString() => $"SharedKey({AccountName})";
}
