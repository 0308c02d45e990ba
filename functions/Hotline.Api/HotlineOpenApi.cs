using System.Reflection;
using System.Text.Json.Nodes;
using Hotline.Api.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace Hotline.Api;

/// <summary>
/// The OpenAPI document (<c>/openapi/v1.json</c>) as the server behaves: the key schemes and which operations need
/// which, every status an operation can answer (the key checks, body reading, missing resources, budgets), the query
/// parameters the handlers read, and properties left out when null marked as optional. The API tests check every
/// answer they receive against this document, so the two cannot drift apart unnoticed.
/// </summary>
public static class HotlineOpenApi
{
    public const string DocumentPath = "/openapi/v1.json";

    /// <summary>The channel and staff keys, as Azure Functions keys: the x-functions-key header.</summary>
    public const string FunctionKey = "functionKey";

    /// <summary>Open311 clients send a channel key as the api_key parameter (query or form).</summary>
    public const string Open311Key = "open311ApiKey";

    private const string ProblemJson = "application/problem+json";

    public static IServiceCollection AddHotlineOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(o =>
        {
            o.AddDocumentTransformer((document, _, _) =>
            {
                Describe(document);
                return Task.CompletedTask;
            });
            o.AddOperationTransformer(async (operation, context, cancellationToken) =>
                await DescribeAsync(operation, context, cancellationToken).ConfigureAwait(false));
            o.AddSchemaTransformer((schema, context, _) =>
            {
                OptionalWhenNull(schema, context);
                return Task.CompletedTask;
            });
        });

    private static void Describe(OpenApiDocument document)
    {
        document.Info.Title = "Hotline 12345 API";
        document.Info.Description = "Channel systems post matters and evaluations; platform staff read and decide; organizers act through their links. " +
            "Authenticate with the x-functions-key header (Open311: the api_key parameter). Errors are RFC 9457 problem details; lifecycle refusals " +
            "carry a `code`. Properties whose value is null are left out of the answers. Wrong keys are budgeted per client address: past the budget, " +
            "429 with Retry-After. Dates in from/to are China time, `to` inclusive.";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[FunctionKey] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = ApiKeys.Header,
            Description = "A channel system's or staff member's key. Each operation says which roles it serves; another role's key gets 403.",
        };
        document.Components.SecuritySchemes[Open311Key] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Query,
            Name = "api_key",
            Description = "Open311: a channel system's key, as the api_key parameter (in the form for POST requests).",
        };
    }

    /// <summary>Which credential a route takes, read from its path: the route table has one rule per area.</summary>
    private enum Guard { None, Key, Link, Open311 }

    private static Guard GuardOf(string path) => path switch
    {
        "api/health" => Guard.None,
        _ when path.StartsWith("api/dev/", StringComparison.Ordinal) => Guard.None,
        _ when path.StartsWith("api/o/", StringComparison.Ordinal) => Guard.Link,
        _ when path.StartsWith("open311/", StringComparison.Ordinal) => Guard.Open311,
        _ when path.StartsWith("api/", StringComparison.Ordinal) => Guard.Key,
        _ => Guard.None,
    };

    private static async Task DescribeAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var path = context.Description.RelativePath ?? "";
        var method = context.Description.HttpMethod ?? "GET";
        var document = context.Document!;
        operation.Responses ??= [];
        var guard = GuardOf(path);
        async Task Problem(int status, string description, bool validation = false)
        {
            var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (operation.Responses.ContainsKey(key)) return;
            var schema = await context.GetOrCreateSchemaAsync(validation ? typeof(HttpValidationProblemDetails) : typeof(ProblemDetails), null, cancellationToken)
                .ConfigureAwait(false);
            operation.Responses[key] = new OpenApiResponse
            {
                Description = description,
                Content = new Dictionary<string, OpenApiMediaType> { [ProblemJson] = new() { Schema = schema } },
            };
        }

        switch (guard)
        {
            case Guard.Key:
                operation.Security = [Requirement(document, FunctionKey)];
                await Problem(StatusCodes.Status401Unauthorized, "No key, or an unknown one.").ConfigureAwait(false);
                await Problem(StatusCodes.Status403Forbidden, "The key's role may not do this.").ConfigureAwait(false);
                await Problem(StatusCodes.Status429TooManyRequests, "The key's budget, or the address's budget of failed authentications, is spent; see Retry-After.")
                    .ConfigureAwait(false);
                break;
            case Guard.Link:
                await Problem(StatusCodes.Status404NotFound, "The link is wrong, expired or revoked, or the matter has left the unit or closed (code link-invalid).")
                    .ConfigureAwait(false);
                await Problem(StatusCodes.Status429TooManyRequests, "The link's budget, or the address's budget of failed authentications, is spent; see Retry-After.")
                    .ConfigureAwait(false);
                break;
            case Guard.Open311:
                DescribeOpen311(operation, document, method, path);
                return;
            default:
                break;
        }
        if (operation.RequestBody is not null)
        {
            await Problem(StatusCodes.Status400BadRequest, "A field is missing or wrong; errors name each field.", validation: true).ConfigureAwait(false);
            await Problem(StatusCodes.Status413PayloadTooLarge, "The body is too large.").ConfigureAwait(false);
            await Problem(StatusCodes.Status415UnsupportedMediaType, "The body is not application/json.").ConfigureAwait(false);
        }
        if (path.Contains("{id}", StringComparison.Ordinal))
            await Problem(StatusCodes.Status404NotFound, "There is no such resource.").ConfigureAwait(false);
        if (operation.OperationId == "organizerReport")
            await Problem(StatusCodes.Status500InternalServerError, "Hotline:Assessment settings are invalid; the detail names the one.").ConfigureAwait(false);
        if (Queries.TryGetValue(operation.OperationId ?? "", out var queries))
        {
            if (queries.Any(q => q.Validated)) await Problem(StatusCodes.Status400BadRequest, "A query parameter is wrong; errors name it.", validation: true).ConfigureAwait(false);
            operation.Parameters ??= [];
            foreach (var q in queries) operation.Parameters.Add(q.ToParameter());
        }
    }

    private static OpenApiSecurityRequirement Requirement(OpenApiDocument document, string scheme) =>
        new() { [new OpenApiSecuritySchemeReference(scheme, document)] = [] };

    private static void DescribeOpen311(OpenApiOperation operation, OpenApiDocument document, string method, string path)
    {
        var post = HttpMethods.IsPost(method);
        // The key is optional for reads (the submitter sees its own requests in detail) and required to post.
        operation.Security = post
            ? [Requirement(document, Open311Key), Requirement(document, FunctionKey)]
            : [new OpenApiSecurityRequirement(), Requirement(document, Open311Key), Requirement(document, FunctionKey)];
        void Answer(int status, string description)
        {
            operation.Responses![status.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new OpenApiResponse
            {
                Description = description,
                Content = new Dictionary<string, OpenApiMediaType> { ["text/xml"] = new(), ["application/json"] = new() },
            };
        }
        var ok = operation.Responses!.TryGetValue("200", out var existing) ? existing.Description : null;
        Answer(StatusCodes.Status200OK, ok is { Length: > 0 } ? ok : "OK");
        Answer(StatusCodes.Status400BadRequest, "GeoReport v2 errors: a wrong argument or format, or a general service error.");
        Answer(StatusCodes.Status403Forbidden, "GeoReport v2 errors: api_key missing (POST) or invalid.");
        Answer(StatusCodes.Status404NotFound, "GeoReport v2 errors: unknown jurisdiction_id, service_code, request or token.");
        Answer(StatusCodes.Status429TooManyRequests, "GeoReport v2 errors: the client's budget, or its address's budget of wrong keys, is spent; see Retry-After.");
        operation.Parameters ??= [];
        // The handlers read the route values themselves, so the generator does not see them.
        foreach (var name in System.Text.RegularExpressions.Regex.Matches(path, @"\{(\w+)\}").Select(m => m.Groups[1].Value))
        {
            if (operation.Parameters.Any(p => p.Name == name && p.In == ParameterLocation.Path)) continue;
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = name,
                In = ParameterLocation.Path,
                Required = true,
                Description = name == "format" ? "xml or json: the format of the answer." : null,
                Schema = new OpenApiSchema
                {
                    Type = JsonSchemaType.String,
                    Enum = name == "format" ? [JsonValue.Create("xml"), JsonValue.Create("json")] : null,
                },
            });
        }
        operation.Parameters.Add(new Parameter("jurisdiction_id", "This endpoint's jurisdiction (discovery names it); another is 404.").ToParameter());
        operation.Parameters.Add(new Parameter("api_key", post ? "A channel system's key, when it is not sent in the form or the header."
            : "A channel system's key: its own requests are shown in detail.").ToParameter());
        if (post)
        {
            var form = new OpenApiSchema { Type = JsonSchemaType.Object, Properties = new Dictionary<string, IOpenApiSchema>(), Required = new HashSet<string> { "service_code", "api_key" } };
            foreach (var field in (string[])["api_key", "jurisdiction_id", "service_code", "lat", "long", "address_string", "address_id", "email", "phone", "device_id",
                                                "account_id", "first_name", "last_name", "description", "media_url", "attribute[type]"])
            {
                form.Properties[field] = new OpenApiSchema { Type = JsonSchemaType.String };
            }
            form.Description = "GeoReport v2 POST Service Request. The hotline also needs a description, a location (lat and long, or address_string) " +
                               "and a way to reach the citizen: phone or email (Weifang art. 11).";
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/x-www-form-urlencoded"] = new() { Schema = form },
                    ["multipart/form-data"] = new() { Schema = form },
                },
            };
        }
        if (operation.OperationId == "open311Requests")
        {
            foreach (var q in Open311RequestQueries) operation.Parameters.Add(q.ToParameter());
        }
    }

    /// <summary>A query parameter a handler reads. <paramref name="Validated"/>: a wrong value is a 400.</summary>
    private sealed record Parameter(string Name, string Description, JsonSchemaType Type = JsonSchemaType.String, bool Required = false, bool Validated = false,
        string? Format = null, string[]? Values = null)
    {
        public OpenApiParameter ToParameter() => new()
        {
            Name = Name,
            In = ParameterLocation.Query,
            Description = Description,
            Required = Required,
            Schema = new OpenApiSchema
            {
                Type = Type,
                Format = Format,
                Enum = Values is null ? null : [.. Values.Select(v => (JsonNode)JsonValue.Create(v))],
            },
        };
    }

    private static readonly Parameter From = new("from", "Start of the period: a date (China time) or an ISO 8601 instant with an offset.", Validated: true);
    private static readonly Parameter To = new("to", "End of the period: a date (China time, included) or an ISO 8601 instant with an offset (excluded).", Validated: true);
    private static readonly Parameter PageSize = new("pageSize", "Items per page, 1 to 200 (default 50).", JsonSchemaType.Integer, Validated: true);
    private static readonly Parameter Continuation = new("continuationToken", "The previous page's continuationToken.", Validated: true);

    /// <summary>The query parameters of each operation, by operation id: the handlers read them from the query themselves.</summary>
    private static readonly Dictionary<string, Parameter[]> Queries = new(StringComparer.Ordinal)
    {
        ["listMatters"] =
        [
            new("status", "Only matters in this status.", Validated: true, Values: [.. Enum.GetNames<Hotline.Orchestrations.Lifecycle.MatterStatus>().Select(System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName)]),
            new("organizer", "Only matters with this lead organizer unit."),
            new("overdue", "true: only overdue matters; false: only the others.", JsonSchemaType.Boolean, Validated: true),
            From, To, PageSize, Continuation,
        ],
        ["getMatter"] = [new("reveal", "citizen: show the citizen's name and phone unmasked; the read is audited first.", Values: ["citizen"])],
        ["getProgress"] =
        [
            new("phone", "The citizen's phone number, which must match the matter's.", Required: true, Validated: true),
            new("lang", "zh (default) or en, for the guidance texts."),
        ],
        ["organizerReport"] = [From, To, new("organizer", "Only this unit.", Validated: true)],
        ["listLongTerm"] = [new("kind", "Only this kind of long-term work.", Validated: true, Values: LongTermEndpoints.Kinds)],
        ["hotspotReport"] = [From, To],
        ["devSms"] = [new("matterId", "Only this matter's SMS.")],
        ["listSupervision"] =
        [
            new("organizer", "Only this unit."),
            new("reason", "Only matters supervised for this reason.", Validated: true),
            new("district", "Only this district."),
            PageSize, Continuation,
        ],
        ["drawReturnVisits"] = [new("day", "The day whose closed matters are drawn (yyyy-MM-dd, China time).", Required: true, Validated: true, Format: "date")],
        ["previewRoute"] =
        [
            new("category", "The matter's category.", Required: true, Validated: true),
            new("urgency", "urgent or normal (default).", Values: ["normal", "urgent"]),
            new("district", "The matter's district."),
        ],
    };

    private static readonly Parameter[] Open311RequestQueries =
    [
        new("service_request_id", "Comma-separated ids; overrides every other argument."),
        new("service_code", "Comma-separated service codes."),
        new("start_date", "W3C date-time with a time zone; at most 90 days before end_date.", Format: "date-time"),
        new("end_date", "W3C date-time with a time zone (included).", Format: "date-time"),
        new("status", "open, closed, or both comma-separated."),
        new("page", "Page number from 1 (pagination extension).", JsonSchemaType.Integer),
        new("page_size", "Requests per page, 1 to 1000 (default 1000).", JsonSchemaType.Integer),
    ];

    /// <summary>
    /// The API leaves out properties whose value is null (ApiJson: WhenWritingNull), so a property that can be null is
    /// not required: it is either there with a value or absent.
    /// </summary>
    private static void OptionalWhenNull(OpenApiSchema schema, OpenApiSchemaTransformerContext context)
    {
        if (schema.Required is not { Count: > 0 } required || context.JsonTypeInfo.Kind != System.Text.Json.Serialization.Metadata.JsonTypeInfoKind.Object) return;
        var nullability = new NullabilityInfoContext();
        foreach (var property in context.JsonTypeInfo.Properties)
        {
            var nullable = Nullable.GetUnderlyingType(property.PropertyType) is not null || property.AttributeProvider switch
            {
                PropertyInfo p => nullability.Create(p).ReadState == NullabilityState.Nullable,
                FieldInfo f => nullability.Create(f).ReadState == NullabilityState.Nullable,
                _ => false,
            };
            if (nullable) required.Remove(property.Name);
        }
    }
}
