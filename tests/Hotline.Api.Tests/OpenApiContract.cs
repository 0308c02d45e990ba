using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;

namespace Hotline.Api.Tests;

/// <summary>
/// Checks one answer against the OpenAPI document the same host serves: the operation documents the status; the body's
/// media type is one documented for that status; a JSON body fits the documented schema (types, required properties,
/// what may be null, array items, nested objects through $ref); every query parameter sent is documented; and any
/// error answer outside a documented operation (404 on an odd path, 405, 415) is problem JSON. A small checker
/// rather than a full validator: it covers what the document can get wrong about this API.
/// </summary>
public sealed class OpenApiContract(JsonObject document)
{
    public static OpenApiContract Parse(string json) => new(JsonNode.Parse(json)!.AsObject());

    public JsonObject Document => document;

    public IReadOnlyList<string> Check(HttpContext http, byte[] body)
    {
        var request = http.Request;
        var response = http.Response;
        var status = response.StatusCode;
        var mediaType = response.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        var where = $"{request.Method} {request.Path}{request.QueryString} -> {status}";
        var errors = new List<string>();
        var endpoint = http.GetEndpoint();
        var pattern = (endpoint as RouteEndpoint)?.RoutePattern.RawText;
        var described = endpoint is not null && endpoint.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>() is not { ExcludeFromDescription: true };
        var operation = described && pattern is not null ? Operation(pattern, request.Method) : null;
        if (operation is null)
        {
            // Outside the document: the framework's own answers and the undocumented variants must still be problem JSON.
            var page = request.Path.StartsWithSegments("/o") || request.Path.StartsWithSegments("/open311");
            if (status >= 400 && !page && mediaType != "application/problem+json")
                errors.Add($"{where}: an error outside any documented operation must be application/problem+json, not '{mediaType}' ({body.Length} bytes).");
            return errors;
        }

        if (operation["responses"]?[status.ToString(CultureInfo.InvariantCulture)] is not JsonObject documented)
        {
            errors.Add($"{where}: status {status} is not documented for {request.Method} {pattern}.");
            return errors;
        }
        var declared = operation["parameters"] as JsonArray ?? [];
        foreach (var key in request.Query.Keys)
        {
            if (!declared.Any(p => (string?)p!["name"] == key && (string?)p["in"] == "query"))
                errors.Add($"{where}: query parameter '{key}' is not documented for {request.Method} {pattern}.");
        }
        if (body.Length == 0) return errors;
        if (documented["content"] is not JsonObject content || mediaType is null || content[mediaType] is not JsonObject media)
        {
            errors.Add($"{where}: media type '{mediaType}' is not documented for status {status} of {request.Method} {pattern}.");
            return errors;
        }
        if (media["schema"] is JsonObject schema && mediaType.EndsWith("json", StringComparison.Ordinal))
        {
            JsonNode? value;
            try
            {
                value = JsonNode.Parse(body);
            }
            catch (JsonException ex)
            {
                errors.Add($"{where}: the body is not JSON: {ex.Message}");
                return errors;
            }
            Validate(schema, value, "$", errors, where, 0);
        }
        return errors;
    }

    private JsonObject? Operation(string pattern, string method)
    {
        var path = pattern.StartsWith('/') ? pattern : "/" + pattern;
        return document["paths"]?[path]?[method.ToLowerInvariant()] as JsonObject;
    }

    private JsonObject Resolve(JsonObject schema)
    {
        var seen = 0;
        while (schema["$ref"] is JsonValue reference && seen++ < 20)
        {
            var name = ((string)reference!).Split('/')[^1];
            schema = document["components"]?["schemas"]?[name] as JsonObject ?? throw new InvalidOperationException($"Unresolved {reference}.");
        }
        return schema;
    }

    private void Validate(JsonObject schema, JsonNode? value, string at, List<string> errors, string where, int depth)
    {
        if (depth > 40) return;
        schema = Resolve(schema);
        foreach (var composite in new[] { "oneOf", "anyOf" })
        {
            if (schema[composite] is JsonArray branches)
            {
                if (!branches.Any(b => { var e = new List<string>(); Validate(b!.AsObject(), value, at, e, where, depth + 1); return e.Count == 0; }))
                    errors.Add($"{where}: {at} fits none of the {composite} schemas.");
                return;
            }
        }
        if (schema["allOf"] is JsonArray all)
        {
            foreach (var part in all) Validate(part!.AsObject(), value, at, errors, where, depth + 1);
        }
        var types = schema["type"] switch
        {
            JsonValue t => [(string)t!],
            JsonArray ts => ts.Select(t => (string)t!).ToArray(),
            _ => Array.Empty<string>(),
        };
        var kind = value?.GetValueKind() ?? JsonValueKind.Null;
        if (types.Length > 0 && !types.Any(t => Fits(t, value, kind)))
        {
            errors.Add($"{where}: {at} is {kind}, the document says {string.Join(" or ", types)}.");
            return;
        }
        if (value is JsonObject obj)
        {
            foreach (var name in schema["required"] as JsonArray ?? [])
            {
                if (!obj.ContainsKey((string)name!)) errors.Add($"{where}: {at}.{name} is required by the document but absent.");
            }
            var properties = schema["properties"] as JsonObject;
            foreach (var (name, child) in obj)
            {
                if (properties?[name] is JsonObject propertySchema) Validate(propertySchema, child, $"{at}.{name}", errors, where, depth + 1);
                else if (schema["additionalProperties"] is JsonObject extra) Validate(extra, child, $"{at}.{name}", errors, where, depth + 1);
            }
        }
        else if (value is JsonArray array && schema["items"] is JsonObject items)
        {
            for (var i = 0; i < array.Count; i++) Validate(items, array[i], $"{at}[{i}]", errors, where, depth + 1);
        }
    }

    private static bool Fits(string type, JsonNode? value, JsonValueKind kind) => type switch
    {
        "null" => kind == JsonValueKind.Null,
        "object" => kind == JsonValueKind.Object,
        "array" => kind == JsonValueKind.Array,
        "string" => kind == JsonValueKind.String,
        "boolean" => kind is JsonValueKind.True or JsonValueKind.False,
        "number" => kind == JsonValueKind.Number,
        "integer" => kind == JsonValueKind.Number && value!.GetValue<JsonElement>().TryGetInt64(out _),
        _ => true,
    };
}

/// <summary>
/// Wraps the host's whole pipeline: every answer the API tests receive is checked against the served OpenAPI document
/// before it leaves the server, and an answer that breaks it fails the request (and so the test) with the reasons.
/// </summary>
public sealed class OpenApiContractFilter(Func<Task<OpenApiContract>> contract) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (http, nextMiddleware) =>
        {
            if (http.Request.Path == HotlineOpenApi.DocumentPath)
            {
                await nextMiddleware(http);
                return;
            }
            var original = http.Response.Body;
            using var buffer = new MemoryStream();
            http.Response.Body = buffer;
            try
            {
                await nextMiddleware(http);
            }
            finally
            {
                http.Response.Body = original;
            }
            var body = buffer.ToArray();
            var violations = (await contract()).Check(http, body);
            if (violations.Count > 0) throw new OpenApiContractException(string.Join(Environment.NewLine, violations));
            await original.WriteAsync(body, http.RequestAborted);
        });
        next(app);
    };
}

public sealed class OpenApiContractException(string message) : Exception(message);
