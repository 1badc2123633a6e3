# One image for every deployment shape: which modules a container hosts is configuration (Modular__Modules__N).
# The publish command below is the one scripts/release-check.sh runs outside Docker on every test run,
# so a broken publish fails CI even where no Docker engine exists.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/ src/
# Release compiles the pre-generated Wolverine handlers in src/Host/Modular.Host/Internal/Generated (docs/adr/0008).
RUN dotnet publish src/Host/Modular.Host/Modular.Host.csproj -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app .
ENV ASPNETCORE_URLS=http://+:8080 \
    ASPNETCORE_ENVIRONMENT=Production \
    Modular__LogFormat=json
EXPOSE 8080
# The aspnet image's built-in unprivileged user.
USER $APP_UID
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8080/health/ready || exit 1
# Production never changes the schema by itself: run the image once with `resources setup` first.
ENTRYPOINT ["dotnet", "Modular.Host.dll"]
