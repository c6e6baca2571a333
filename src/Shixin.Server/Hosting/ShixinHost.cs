using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Json;
using Shixin.Core;
using Shixin.Core.Entries;
using Shixin.Data;
using Shixin.Server.Auth;
using Shixin.Server.Courts;
using Shixin.Server.Http;
using Shixin.Server.Hub;
using Shixin.Server.Ops;
using Shixin.Server.Public;
using Shixin.Server.Units;
using Shixin.Server.Web;
using Microsoft.AspNetCore.DataProtection;

namespace Shixin.Server.Hosting;

/// <summary>The composition root: services, middleware and endpoint areas.</summary>
public static class ShixinHost
{
    /// <summary>
    /// Builds the whole platform; tests pass settings that override the environment, and may replace services
    /// (e.g. the <see cref="TimeProvider"/>, to let time pass) after the platform's own registrations.
    /// </summary>
    public static WebApplication Create(string[] args, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        // --demo is a switch, not a key=value pair: keep it away from the command-line configuration provider,
        // which would otherwise take the next argument (e.g. --urls) as its value.
        var builder = WebApplication.CreateBuilder(args.Where(a => !string.Equals(a, "--demo", StringComparison.Ordinal)).ToArray());
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.AddShixin(args);
        services?.Invoke(builder.Services);
        var app = builder.Build();
        app.UseShixin();
        return app;
    }

    public static WebApplicationBuilder AddShixin(this WebApplicationBuilder builder, string[] args)
    {
        // Quiet framework logs by default wherever the server is started from (appsettings.json is found only in the
        // content root): a log line per request costs more than the check itself. Any other source overrides these.
        builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = "Information",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
                ["Logging:LogLevel:Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddleware"] = "None",
                ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Warning",
                ["Logging:LogLevel:Microsoft.AspNetCore.DataProtection"] = "Error",
                ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
            },
        });
        var options = ShixinOptions.FromConfiguration(builder.Configuration, args);
        if (!OperatingSystem.IsWindows())
        {
            FileModes.Protect(options.DataDirectory);
        }

        var s = builder.Services;
        s.AddSingleton(options);
        s.AddSingleton(TimeProvider.System);
        s.AddSingleton(_ =>
        {
            var database = options.OpenDatabase();
            if (int.TryParse(builder.Configuration["SHIXIN_LEDGER_WAIT_SECONDS"], System.Globalization.CultureInfo.InvariantCulture, out var wait) && wait > 0)
            {
                database.LedgerWait = TimeSpan.FromSeconds(wait);
            }

            return database;
        });
        s.AddSingleton(sp => LegalSetup.Load(options, sp.GetRequiredService<ILoggerFactory>().CreateLogger("Shixin.Legal")));
        s.AddSingleton<ApiKeys>();
        s.AddSingleton<Audit>();
        s.AddSingleton<LedgerSignal>();
        s.AddShixinMetrics();
        s.AddSingleton<Readiness>();
        s.AddHealthChecks()
            .AddCheck<StartupHealthCheck>("startup", tags: ["ready"])
            .AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        s.AddSingleton<EntryService>();
        s.AddSingleton<ExemptionService>();
        s.AddOversight();
        s.AddSingleton<EntryImport>();
        s.AddSingleton<DemoData>();
        s.AddSingleton<Shixin.Server.Hub.DutyProjection>();
        s.AddSingleton<Shixin.Server.Courts.EntryActions>();
        s.AddSingleton<Shixin.Server.Courts.CorrectionActions>();
        s.AddSingleton<DemoOversight>();
        s.AddSingleton<Shixin.Server.Investigations.InvestigationStore>();
        s.AddSingleton<Shixin.Server.Investigations.InvestigationService>();
        s.AddSingleton<DemoInvestigations>();
        // Loaded now, not on first use: a broken catalog stops the start with its file and reason (StartupRefusedException).
        s.AddSingleton(CatalogSetup.LoadOrRefuse(options));
        s.AddSingleton<Units.EntryCards>();
        s.AddSingleton<Units.EntryDetails>();
        s.AddSingleton(sp => sp.GetRequiredService<ShixinDatabase>().Records);
        s.AddSingleton(_ => SubjectHasher.Load(builder.Configuration["SHIXIN_AUDIT_KEY"], options.DataDirectory));
        s.AddSingleton<CheckRecordWriter>();
        s.AddSingleton<Shixin.Server.Web.PdfRenderer>();
        s.AddSingleton<Units.CheckService>();
        s.AddSingleton<Units.CourtExemptionBook>();
        s.AddSingleton<Units.IndexFollower>();
        s.AddSingleton(_ => new WebhookNetworks(builder.Configuration["SHIXIN_WEBHOOK_ALLOWED_NETWORKS"], builder.Configuration["SHIXIN_WEBHOOK_ALLOW_HTTP_NETWORKS"]));
        s.AddSingleton<WebhookSecrets>();
        s.AddSingleton(_ => WebhookOptions.From(builder.Configuration));
        s.AddHostedService<StartupTasks>();
        s.AddHostedService<StaffBootstrap>();
        s.AddHostedService<WebhookDispatcher>();
        s.AddHostedService<LedgerListener>();
        s.AddHostedService(sp => sp.GetRequiredService<Units.IndexFollower>());
        s.AddHostedService<ListClock>();
        s.AddHostedService<AuditCopier>();
        s.AddSingleton(_ => IdempotencyOptions.From(builder.Configuration));
        s.AddSingleton<IdempotencyPruner>();
        s.AddHostedService(sp => sp.GetRequiredService<IdempotencyPruner>());
        // One place decides the language of every problem: ?lang=en, the pages' language cookie, Accept-Language (API.md "Errors").
        s.AddProblemDetails(o => o.CustomizeProblemDetails = ProblemLanguage.Apply);

        // Pages carry Chinese as characters, not as numeric entities.
        s.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o =>
            o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        s.AddSingleton<PublicQuery>();
        s.AddPublicRateLimiting(builder.Configuration);
        s.AddStaffSignIn();
        s.AddShixinAuthentication();
        // The pages live in this assembly, whichever assembly hosts it (tests start the server in-process).
        s.AddRazorPages().AddApplicationPart(typeof(ShixinHost).Assembly);
        // The Data Protection key ring (staff cookies, antiforgery, webhook secrets at rest) lives in the data directory,
        // 0700 with 0600 files (FileModes); nodes sharing one PostgreSQL database must share it: SHIXIN_KEYS_DIR.
        var keyRing = builder.Configuration["SHIXIN_KEYS_DIR"] is { Length: > 0 } kd ? Path.GetFullPath(kd) : Path.Combine(options.DataDirectory, "data-protection-keys");
        if (!OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(keyRing, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        s.AddDataProtection().SetApplicationName("shixin").PersistKeysToFileSystem(new DirectoryInfo(keyRing));
        s.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        s.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower));
            // Chinese text goes out as itself, not as \u escapes.
            o.SerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All);
        });
        s.AddOpenApi("v1", o => o.UseShixinContract());
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        return builder;
    }

    public static WebApplication UseShixin(this WebApplication app)
    {
        if (TrustedProxies.From(app.Configuration) is { } forwarded)
        {
            // Before anything reads the scheme or the client address (cookies' Secure flag, rate limits).
            app.UseForwardedHeaders(forwarded);
        }

        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = HandleException });
        app.UseStatusCodePages(BodylessStatusAsProblem);
        app.UseMiddleware<RequestMetricsMiddleware>();
        // The stylesheet and script are embedded, so the server serves them wherever it runs from (no CDN).
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new Microsoft.Extensions.FileProviders.EmbeddedFileProvider(typeof(ShixinHost).Assembly, "Shixin.Server.wwwroot"),
        });
        app.UseMiddleware<LanguageMiddleware>();
        // The key or the staff cookie becomes the Caller; the refusal audit sees what authorization then refuses (401/403,
        // before any body is bound).
        app.UseAuthentication();
        app.UseMiddleware<RefusalAuditMiddleware>();
        app.UseAuthorization();
        app.UsePublicSearchForm();
        app.UseRateLimiter();
        app.UseMiddleware<IdempotencyMiddleware>();
        app.MapOpenApi("/openapi/{documentName}.json");
        app.UseSwaggerUI(o =>
        {
            o.RoutePrefix = "docs";
            o.SwaggerEndpoint("/openapi/v1.json", "Shixin API v1");
            o.DocumentTitle = "Shixin API";
        });

        var api = app.MapGroup("/api/v1");
        api.MapOrganizationsApi();
        api.MapEntriesApi();
        api.MapEntryImportApi();
        api.MapCorrectionsApi();
        api.MapExemptionsApi();
        api.MapCatalogsApi();
        api.MapChecksApi();
        api.MapBatchChecksApi();
        api.MapCheckRecordsApi();
        api.MapSubjectStatusApi();
        api.MapDistributionApi();
        api.MapSubscriptionsApi();
        api.MapFeedbackApi();
        api.MapObligationsApi();
        Shixin.Server.Investigations.InvestigationsApi.MapInvestigationsApi(api);
        Shixin.Server.Investigations.BatchAnswers.MapBatchAnswers(api);
        api.MapOversightApi();
        api.MapPublicApi();
        api.MapUsersApi();
        app.MapOpsApi();
        app.MapRazorPages();
        app.Lifetime.ApplicationStarted.Register(() => PrintWelcome(app));
        return app;
    }

    private static async Task HandleException(HttpContext context)
    {
        var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        // The framework's own texts (JSON reader positions, Kestrel limits) stay in the English message; the Chinese says what to do.
        var (code, detail) = error switch
        {
            BadHttpRequestException b when b.InnerException is JsonException j => ("invalid-request-body",
                new Bilingual("请求内容不是本接口可读的JSON，请检查字段名称和取值类型", "the body is not valid JSON for this endpoint: " + j.Message)),
            BadHttpRequestException b when b.StatusCode == 415 => ("unsupported-media-type", new Bilingual("不支持该内容类型，请以JSON格式提交", b.Message)),
            BadHttpRequestException b when b.StatusCode == 413 => ("payload-too-large", new Bilingual("请求内容过大", b.Message)),
            BadHttpRequestException b => ("invalid-request-body", new Bilingual("请求内容无法读取，请检查后重新提交", b.Message)),
            JsonException j => ("invalid-request-body", new Bilingual("请求内容不是有效的JSON", j.Message)),
            LedgerBusyException b => ("busy", new Bilingual("系统正在处理其他写入，请稍后重试", b.Message)),
            Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 5 or 6 } => ("busy",
                new Bilingual("数据库正忙于其他写入，请稍后重试", "the database is busy with another write; try again shortly")),
            _ => ("internal-error", new Bilingual("系统发生意外错误，已记录日志，请稍后重试或联系管理员", "an unexpected error occurred; it has been logged")),
        };
        if (string.Equals(code, "internal-error", StringComparison.Ordinal))
        {
            context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Shixin.Errors")
                .LogError(error, "Unhandled error on {Method} {Path}", context.Request.Method, context.Request.Path);
            await TypedResults.Problem(Problems.Details(code, detail, status: 500)).ExecuteAsync(context);
            return;
        }

        if (string.Equals(code, "busy", StringComparison.Ordinal))
        {
            // Another write holds the ledger: come back shortly rather than wait without end (issue 11 F4).
            context.Response.Headers.RetryAfter = "2";
        }

        await Problems.Of(code, detail).ExecuteAsync(context);
    }

    /// <summary>
    /// Errors the framework answers without a body (415 from content-type matching, 405, unmatched 404) become
    /// problem details with a stable code, like every other error (API.md "Errors").
    /// </summary>
    private static Task BodylessStatusAsProblem(StatusCodeContext context)
    {
        var status = context.HttpContext.Response.StatusCode;
        var code = status switch
        {
            401 => "unauthorized",
            403 => "forbidden",
            404 => Problems.NotFoundCode,
            405 => "method-not-allowed",
            413 => "payload-too-large",
            415 => "unsupported-media-type",
            < 500 => "invalid-request",
            _ => "internal-error",
        };
        var request = context.HttpContext.Request.Method + " " + context.HttpContext.Request.Path;
        var detail = new Bilingual(Problems.TitleFor(status).Zh + "（" + request + "，状态码 " + status.ToString(System.Globalization.CultureInfo.InvariantCulture) + "）",
            request + " answered " + status.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return TypedResults.Problem(Problems.Details(code, detail, status: status)).ExecuteAsync(context.HttpContext);
    }

    private static void PrintWelcome(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var options = app.Services.GetRequiredService<ShixinOptions>();
        var url = addresses.FirstOrDefault() ?? "http://localhost:5000";
        Console.WriteLine();
        Console.WriteLine("Shixin 失信被执行人名单平台 is running.");
        Console.WriteLine("  URL:       " + url + "   (API docs: " + url + "/docs)");
        Console.WriteLine("  Database:  " + (options.Database == DatabaseProvider.Sqlite ? Path.Combine(options.DataDirectory, "shixin.db") : "PostgreSQL"));
        Console.WriteLine("  Admin key: " + (options.AdminKey is null ? Path.Combine(options.DataDirectory, "admin.key") : "SHIXIN_ADMIN_KEY"));
        var demoKeys = Path.Combine(options.DataDirectory, DemoData.KeysFileName);
        if (options.Demo && File.Exists(demoKeys))
        {
            Console.WriteLine("  Demo keys: " + demoKeys);
            Console.WriteLine("  Try:       curl -H 'Authorization: Bearer " + DemoData.CourtKey(DemoData.MainCourt) + "' '" + url + "/api/v1/entries?status=listed&limit=5'");
        }
        Console.WriteLine();
    }
}
