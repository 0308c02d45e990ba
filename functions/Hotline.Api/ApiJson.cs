using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Hotline.Orchestrations.Time;

namespace Hotline.Api;

/// <summary>The API's JSON: camelCase, enums as camelCase strings, instants in ISO 8601 with the +08:00 offset.</summary>
public static class ApiJson
{
    public static readonly JsonSerializerOptions Options = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        options.Converters.Add(new ChinaInstantConverter());
        return options;
    }

    /// <summary>Reads any ISO 8601 instant with an offset; writes it in China Standard Time.</summary>
    private sealed class ChinaInstantConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var text = reader.GetString();
            // An instant without an offset is ambiguous; the contract requires one.
            if (text is null || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value) || !HasOffset(text))
                throw new JsonException("Expected an ISO 8601 instant with an offset, e.g. 2026-03-02T09:00:00+08:00.");
            return value;
        }

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(ChinaTime.ToChina(value).ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture));

        private static bool HasOffset(string text) =>
            text.EndsWith('Z') || text.EndsWith('z') || (text.Length > 6 && (text[^6] is '+' or '-') && text[^3] == ':');
    }
}
