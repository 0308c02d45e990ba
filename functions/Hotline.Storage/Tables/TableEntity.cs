using Azure;

namespace Hotline.Storage.Tables;

/// <summary>
/// One table row: its keys, the service-assigned <see cref="ETag"/> and <see cref="Timestamp"/>, and
/// typed properties. A property value is one of: <see cref="string"/>, <see cref="int"/> (Edm.Int32),
/// <see cref="long"/> (Edm.Int64), <see cref="double"/>, <see cref="bool"/>, <see cref="DateTimeOffset"/>
/// (Edm.DateTime, stored in UTC to 100 ns), <c>byte[]</c> (Edm.Binary) or <see cref="Guid"/>. Setting a
/// property to null removes it (the service stores no nulls).
/// </summary>
public sealed class TableEntity
{
    private readonly Dictionary<string, object> _properties = new(StringComparer.Ordinal);

    /// <summary>Creates an entity with the given keys (validated when sent, see <see cref="TableKeys"/>).</summary>
    public TableEntity(string partitionKey, string rowKey)
    {
        PartitionKey = partitionKey ?? throw new ArgumentNullException(nameof(partitionKey));
        RowKey = rowKey ?? throw new ArgumentNullException(nameof(rowKey));
    }

    /// <summary>The partition key: rows sharing it can change together in one transaction.</summary>
    public string PartitionKey { get; set; }

    /// <summary>The row key, unique within the partition.</summary>
    public string RowKey { get; set; }

    /// <summary>The version the service gave this row when it was read or written; default when new.</summary>
    public ETag ETag { get; set; }

    /// <summary>The service's last-modified time (read only in effect: the service ignores it on writes).</summary>
    public DateTimeOffset? Timestamp { get; set; }

    /// <summary>The properties other than the keys, Timestamp and ETag.</summary>
    public IReadOnlyDictionary<string, object> Properties => _properties;

    /// <summary>Gets (null when absent) or sets (null removes) a property.</summary>
    /// <exception cref="ArgumentException">The name is reserved or the value's type is not supported.</exception>
    public object? this[string name]
    {
        get => _properties.TryGetValue(name, out var value) ? value : null;
        set
        {
            ValidatePropertyName(name);
            if (value is null)
            {
                _properties.Remove(name);
                return;
            }
            if (value is not (string or int or long or double or bool or DateTimeOffset or byte[] or Guid))
            {
                throw new ArgumentException(
                    $"Property '{name}' has type {value.GetType().Name}; supported: string, int, long, double, bool, DateTimeOffset, byte[], Guid.",
                    nameof(value));
            }
            _properties[name] = value;
        }
    }

    /// <summary>Removes a property; true when it was present.</summary>
    public bool Remove(string name) => _properties.Remove(name);

    /// <summary>The string property, or null when absent.</summary>
    public string? GetString(string name) => Get<string>(name);

    /// <summary>The Edm.Int32 property, or null when absent.</summary>
    public int? GetInt32(string name) => GetValue<int>(name);

    /// <summary>The Edm.Int64 property (an Edm.Int32 value widens), or null when absent.</summary>
    public long? GetInt64(string name) => this[name] is int i ? i : GetValue<long>(name);

    /// <summary>The Edm.Double property, or null when absent.</summary>
    public double? GetDouble(string name) => GetValue<double>(name);

    /// <summary>The Edm.Boolean property, or null when absent.</summary>
    public bool? GetBoolean(string name) => GetValue<bool>(name);

    /// <summary>The Edm.DateTime property (UTC), or null when absent.</summary>
    public DateTimeOffset? GetDateTimeOffset(string name) => GetValue<DateTimeOffset>(name);

    /// <summary>The Edm.Binary property, or null when absent.</summary>
    public byte[]? GetBinary(string name) => Get<byte[]>(name);

    /// <summary>The Edm.Guid property, or null when absent.</summary>
    public Guid? GetGuid(string name) => GetValue<Guid>(name);

    /// <inheritdoc />
    public override string ToString() => $"{PartitionKey}/{RowKey} ({_properties.Count} properties)";

    private T? Get<T>(string name) where T : class => this[name] switch
    {
        null => null,
        T value => value,
        var other => throw new InvalidCastException($"Property '{name}' is a {other.GetType().Name}, not a {typeof(T).Name}."),
    };

    private T? GetValue<T>(string name) where T : struct => this[name] switch
    {
        null => null,
        T value => value,
        var other => throw new InvalidCastException($"Property '{name}' is a {other.GetType().Name}, not a {typeof(T).Name}."),
    };

    internal static void ValidatePropertyName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name is "PartitionKey" or "RowKey" or "Timestamp" or "ETag"
            || name.StartsWith("odata.", StringComparison.Ordinal) || name.Contains('@', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{name}' is reserved and cannot be used as a property name.", nameof(name));
        }
        if (name.Length > 255)
        {
            throw new ArgumentException($"Property name '{name[..32]}…' is longer than 255 characters.", nameof(name));
        }
    }
}

/// <summary>Key rules of the Table service, checked before anything is sent.</summary>
public static class TableKeys
{
    /// <summary>Keys may be at most 1 KiB: 512 UTF-16 characters.</summary>
    public const int MaxLength = 512;

    /// <summary>
    /// Throws an <see cref="ArgumentException"/> naming the key when it contains '/', '\', '#', '?' or a
    /// control character (U+0000–U+001F, U+007F–U+009F), or is longer than <see cref="MaxLength"/>.
    /// </summary>
    public static void Validate(string? key, string keyName)
    {
        if (key is null)
        {
            throw new ArgumentNullException(keyName, $"{keyName} must not be null.");
        }
        if (key.Length > MaxLength)
        {
            throw new ArgumentException($"{keyName} is {key.Length} characters long; the Table service allows at most {MaxLength} (1 KiB).", keyName);
        }
        foreach (var c in key)
        {
            if (c is '/' or '\\' or '#' or '?' || char.IsControl(c))
            {
                throw new ArgumentException(
                    $"{keyName} '{Printable(key)}' contains the character {Printable(c.ToString())}, which the Table service forbids in keys.",
                    keyName);
            }
        }
    }

    private static string Printable(string s) =>
        string.Concat(s.Select(c => char.IsControl(c) ? $"\\u{(int)c:X4}" : c.ToString()));
}
