using System.Text.Json;
using System.Text.Json.Serialization;

namespace Hotline.Runtime;

/// <summary>The JSON form of stored state, events and effects: camelCase, enums as camelCase strings.</summary>
public static class HotlineJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };
}
