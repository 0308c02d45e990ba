using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Azure;

namespace Hotline.Storage.Tables;

/// <summary>
/// The Table service's JSON entity format (OData v3 "minimalmetadata"): types the JSON cannot carry
/// (Int64, DateTime, Binary, Guid, and doubles) travel as "Name@odata.type" annotations next to the value.
/// </summary>
internal static class TableEntityJson
{
    private const string TypeSuffix = "@odata.type";

    public static byte[] Serialize(TableEntity entity)
    {
        var buffer = new ArrayBufferWriter<byte>();
        // Compact output matters: Azurite finds a batch operation's body with a single-line regex.
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("PartitionKey", entity.PartitionKey);
            writer.WriteString("RowKey", entity.RowKey);
            foreach (var (name, value) in entity.Properties)
            {
                WriteProperty(writer, name, value);
            }
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteProperty(Utf8JsonWriter writer, string name, object value)
    {
        switch (value)
        {
            case string s:
                writer.WriteString(name, s);
                break;
            case int i:
                writer.WriteNumber(name, i);
                break;
            case long l:
                // Int64 goes as a string: JSON numbers lose precision past 2^53 in many parsers.
                writer.WriteString(name, l.ToString(CultureInfo.InvariantCulture));
                writer.WriteString(name + TypeSuffix, "Edm.Int64");
                break;
            case double d:
                // Always annotated: 5.0 would otherwise be written as 5 and stored as Edm.Int32.
                if (double.IsFinite(d))
                {
                    writer.WriteNumber(name, d);
                }
                else
                {
                    writer.WriteString(name, double.IsNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
                }
                writer.WriteString(name + TypeSuffix, "Edm.Double");
                break;
            case bool b:
                writer.WriteBoolean(name, b);
                break;
            case DateTimeOffset t:
                writer.WriteString(name, FormatDateTime(t));
                writer.WriteString(name + TypeSuffix, "Edm.DateTime");
                break;
            case byte[] bytes:
                writer.WriteBase64String(name, bytes);
                writer.WriteString(name + TypeSuffix, "Edm.Binary");
                break;
            case Guid g:
                writer.WriteString(name, g.ToString("D"));
                writer.WriteString(name + TypeSuffix, "Edm.Guid");
                break;
            default:
                throw new ArgumentException($"Property '{name}' has unsupported type {value.GetType().Name}.");
        }
    }

    /// <summary>ISO 8601 in UTC with all seven fractional digits the service keeps.</summary>
    public static string FormatDateTime(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseDateTime(string value) =>
        DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    public static TableEntity Deserialize(JsonElement json, ETag etagHeader = default)
    {
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in json.EnumerateObject())
        {
            if (p.Name.EndsWith(TypeSuffix, StringComparison.Ordinal) && p.Value.ValueKind == JsonValueKind.String)
            {
                types[p.Name[..^TypeSuffix.Length]] = p.Value.GetString()!;
            }
        }

        var entity = new TableEntity(
            json.TryGetProperty("PartitionKey", out var pk) ? pk.GetString() ?? "" : "",
            json.TryGetProperty("RowKey", out var rk) ? rk.GetString() ?? "" : "");
        if (etagHeader != default)
        {
            entity.ETag = etagHeader;
        }
        else if (json.TryGetProperty("odata.etag", out var etag) && etag.GetString() is { } e)
        {
            entity.ETag = new ETag(e);
        }

        foreach (var p in json.EnumerateObject())
        {
            var name = p.Name;
            if (name is "PartitionKey" or "RowKey" || name.StartsWith("odata.", StringComparison.Ordinal) || name.Contains('@', StringComparison.Ordinal))
            {
                continue;
            }
            if (name == "Timestamp")
            {
                entity.Timestamp = p.Value.ValueKind == JsonValueKind.String ? ParseDateTime(p.Value.GetString()!) : null;
                continue;
            }
            entity[name] = ReadValue(name, p.Value, types.GetValueOrDefault(name));
        }
        return entity;
    }

    private static object? ReadValue(string name, JsonElement value, string? edmType)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        switch (edmType)
        {
            case "Edm.Int64":
                return value.ValueKind == JsonValueKind.String ? long.Parse(value.GetString()!, CultureInfo.InvariantCulture) : value.GetInt64();
            case "Edm.Int32":
                return value.ValueKind == JsonValueKind.String ? int.Parse(value.GetString()!, CultureInfo.InvariantCulture) : value.GetInt32();
            case "Edm.Double":
                return value.ValueKind == JsonValueKind.String
                    ? value.GetString() switch
                    {
                        "NaN" => double.NaN,
                        "Infinity" => double.PositiveInfinity,
                        "-Infinity" => double.NegativeInfinity,
                        var s => double.Parse(s!, CultureInfo.InvariantCulture),
                    }
                    : value.GetDouble();
            case "Edm.DateTime":
                return ParseDateTime(value.GetString()!);
            case "Edm.Binary":
                return value.GetBytesFromBase64();
            case "Edm.Guid":
                return Guid.Parse(value.GetString()!);
            case "Edm.Boolean":
                return value.ValueKind == JsonValueKind.String ? bool.Parse(value.GetString()!) : value.GetBoolean();
            case null or "Edm.String":
                break;
            default:
                throw new FormatException($"Property '{name}' has unsupported type {edmType}.");
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return value.GetString();
            case JsonValueKind.True:
            case JsonValueKind.False:
                return value.GetBoolean();
            case JsonValueKind.Number:
                // Unannotated numbers: the service writes doubles with a '.' or exponent (5.0), Int32 without.
                var raw = value.GetRawText();
                if (raw.AsSpan().IndexOfAny('.', 'e', 'E') >= 0)
                {
                    return value.GetDouble();
                }
                // Boxed one by one: a ?: chain would promote all three branches to double.
                if (value.TryGetInt32(out var i))
                {
                    return i;
                }
                if (value.TryGetInt64(out var l))
                {
                    return l;
                }
                return value.GetDouble();
            default:
                throw new FormatException($"Property '{name}' has an unexpected JSON {value.ValueKind}.");
        }
    }
}
