// Checks what `kubectl kustomize` renders from deploy/k8s (scripts/check-k8s.sh runs it): every object is valid against
// the Kubernetes schemas (schema.js), and each overlay has the properties its rollout relies on. Facts the manifests
// must agree with (the host's drain time, its health paths, the module catalog) are read from the code, not repeated.
//
//   node check.js --repo <root> --secrets <secrets.yaml> <overlay>=<rendered.yaml> ...
"use strict";

const fs = require("fs");
const path = require("path");
const YAML = require("yaml");
const { schemaErrors } = require("./schema.js");

const args = process.argv.slice(2);
const option = name => {
  const i = args.indexOf(name);
  if (i < 0 || i + 1 >= args.length) throw new Error(`usage: node check.js --repo <root> --secrets <file> <overlay>=<file> ...`);
  return args.splice(i, 2)[1];
};
const repo = option("--repo");
const secretsFile = option("--secrets");
const overlays = args.map(a => a.split("=", 2));

const failures = new Set();
const fail = (where, message) => failures.add(`${where}: ${message}`);

// --- Facts from the code ------------------------------------------------------------------------------------------
function fromSource(file, pattern, what) {
  const text = fs.readFileSync(path.join(repo, file), "utf8");
  const matches = [...text.matchAll(pattern)].map(m => m[1]);
  if (matches.length === 0) throw new Error(`cannot find ${what} in ${file} (pattern ${pattern}): update tools/k8s-validate/check.js`);
  return matches;
}
const hosting = "src/BuildingBlocks/Modular.BuildingBlocks/Hosting";
const shutdownSeconds = Number(fromSource(`${hosting}/ModularHostExtensions.cs`,
  /ShutdownTimeout\s*=\s*TimeSpan\.FromSeconds\((\d+)\)/g, "ModularHostExtensions.ShutdownTimeout")[0]);
const healthPaths = fromSource(`${hosting}/ModularHostExtensions.cs`, /MapHealthChecks\("([^"]+)"/g, "the health endpoints");
const remoteCheckSeconds = Number(fromSource(`${hosting}/ModuleGateway.cs`,
  /AddUrlGroup\([^;]*timeout:\s*TimeSpan\.FromSeconds\((\d+)\)/g, "the remote modules' health check timeout")[0]);
const catalog = fromSource("src/Host/Modular.Host/ModuleCatalog.cs", /new (\w+)Module\(\)/g, "the module catalog");
const [livePath, readyPath] = ["/health/live", "/health/ready"].map(p => {
  if (!healthPaths.includes(p)) throw new Error(`the host maps no ${p} (it maps ${healthPaths.join(", ")})`);
  return p;
});
// The aspnet image's APP_UID, which the Dockerfile runs as.
const imageUser = 1654;
// Overlays this check knows the shape of; any other is held to the general rules only.
const expectedDeployments = { monolith: 1, split: 2 };

// --- Reading ------------------------------------------------------------------------------------------------------
function readObjects(file) {
  return YAML.parseAllDocuments(fs.readFileSync(file, "utf8"))
    .map(doc => {
      if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0].message}`);
      return doc.toJS();
    })
    .filter(o => o);
}
const nameOf = o => `${o.kind}/${o.metadata?.name}`;
const decode = value => Buffer.from(value ?? "", "base64").toString("utf8");

// Resources served by Kubernetes today; older versions (policy/v1beta1, autoscaling/v2beta2...) are gone.
const served = new Set(["v1/ConfigMap", "v1/Service", "apps/v1/Deployment", "batch/v1/Job", "policy/v1/PodDisruptionBudget",
  "autoscaling/v2/HorizontalPodAutoscaler", "networking.k8s.io/v1/NetworkPolicy", "v1/Secret", "v1/ServiceAccount"]);

function validate(where, objects) {
  for (const o of objects) {
    if (!served.has(`${o.apiVersion}/${o.kind}`)) fail(`${where} ${nameOf(o)}`, `${o.apiVersion} ${o.kind} is not an API version this check expects`);
    for (const error of schemaErrors(o)) fail(`${where} ${nameOf(o)}`, `schema: ${error}`);
  }
}

const secrets = readObjects(secretsFile);
validate("secrets", secrets);
const secretByName = new Map(secrets.filter(o => o.kind === "Secret").map(s => [s.metadata.name, s]));

// --- Helpers over a pod template -----------------------------------------------------------------------------------
const containersOf = spec => [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
const selects = (selector, labels) =>
  selector && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels?.[k] === v);

function environment(container, configMaps, where) {
  const env = {};
  for (const source of container.envFrom ?? []) {
    const map = configMaps.get(source.configMapRef?.name);
    if (!map) { fail(where, `envFrom names ConfigMap ${source.configMapRef?.name ?? "(a Secret)"}, which this overlay does not render`); continue; }
    Object.assign(env, map.data);
  }
  for (const variable of container.env ?? []) env[variable.name] = variable.value;
  return env;
}

// The files a container sees from secret volumes: mount path -> { secretName, key }, and folder mounts.
function secretFiles(container, spec) {
  const files = new Map(), folders = new Map();
  for (const mount of container.volumeMounts ?? []) {
    const volume = (spec.volumes ?? []).find(v => v.name === mount.name);
    if (!volume?.secret) continue;
    if (mount.subPath) { files.set(mount.mountPath, { secretName: volume.secret.secretName, key: mount.subPath }); continue; }
    folders.set(mount.mountPath, volume.secret);
    for (const item of volume.secret.items ?? []) {
      files.set(path.posix.join(mount.mountPath, item.path), { secretName: volume.secret.secretName, key: item.key });
    }
  }
  return { files, folders };
}

// Which ConfigMaps a container takes its settings from: a setup container and its Deployment's name the same ones.
const settingsOf = c => (c.envFrom ?? []).map(e => e.configMapRef?.name).join(",");

function modulesOf(env) {
  const listed = Object.keys(env).filter(k => /^Modular__Modules__\d+$/.test(k)).map(k => env[k]);
  return listed.length > 0 ? listed : catalog;
}

// Hardening, resources, the writable /tmp, and key files that come from Secrets: for every container of a pod.
function checkPod(where, spec, configMaps) {
  const pod = spec.securityContext ?? {};
  if (pod.runAsNonRoot !== true) fail(where, "securityContext.runAsNonRoot is not true");
  if (pod.runAsUser !== imageUser) fail(where, `securityContext.runAsUser is ${pod.runAsUser}, not the image's user ${imageUser}`);
  if (pod.seccompProfile?.type !== "RuntimeDefault") fail(where, "securityContext.seccompProfile.type is not RuntimeDefault");
  if (spec.automountServiceAccountToken !== false) fail(where, "automountServiceAccountToken is not false (the host never calls the API)");
  const tmp = (spec.volumes ?? []).filter(v => v.emptyDir).map(v => v.name);
  for (const c of containersOf(spec)) {
    const at = `${where} container ${c.name}`;
    const sc = c.securityContext ?? {};
    if (sc.readOnlyRootFilesystem !== true) fail(at, "securityContext.readOnlyRootFilesystem is not true");
    if (sc.allowPrivilegeEscalation !== false) fail(at, "securityContext.allowPrivilegeEscalation is not false");
    if (!(sc.capabilities?.drop ?? []).includes("ALL")) fail(at, "securityContext.capabilities.drop does not include ALL");
    if ((sc.capabilities?.add ?? []).length > 0) fail(at, "securityContext.capabilities.add is not empty");
    if (sc.runAsUser === 0 || sc.runAsNonRoot === false || sc.privileged === true) fail(at, "securityContext runs as root or privileged");
    for (const kind of ["requests", "limits"]) {
      for (const resource of ["cpu", "memory"]) {
        if (!c.resources?.[kind]?.[resource]) fail(at, `resources.${kind}.${resource} is not set`);
      }
    }
    if (!(c.volumeMounts ?? []).some(m => m.mountPath === "/tmp" && tmp.includes(m.name))) fail(at, "no emptyDir is mounted at /tmp");
    if (!/^modular:[\w.-]+$/.test(c.image ?? "") || c.image.endsWith(":latest")) {
      fail(at, `image ${c.image} is not the modular image with a release tag (kustomize images:)`);
    }

    const env = environment(c, configMaps, at);
    const { files, folders } = secretFiles(c, spec);
    if (env.Modular__LogFormat !== "json") fail(at, "Modular__LogFormat is not json");
    if (!folders.has(env.Modular__SecretsPath)) fail(at, `Modular__SecretsPath (${env.Modular__SecretsPath}) is not a mounted Secret`);
    // The root file system is read-only: a key file that is not mounted would be created, and fail.
    for (const [name, value] of Object.entries(env)) {
      if (/(KeyPath|KeyFile)$/.test(name) && !files.has(value)) fail(at, `${name} names ${value}, which no Secret item is mounted at`);
    }
    if (!env.Modular__Authentication__SigningKeyPath) fail(at, "Modular__Authentication__SigningKeyPath is not set");
    for (const [, source] of [...files, ...[...folders].map(([p, s]) => [p, { secretName: s.secretName }])]) {
      const secret = secretByName.get(source.secretName);
      if (!secret) fail(at, `mounts Secret ${source.secretName}, which deploy/k8s/secrets.sh does not create`);
      else if (source.key && !(source.key in (secret.data ?? {}))) fail(at, `mounts key ${source.key} of Secret ${source.secretName}, which has no such key`);
    }
  }
}

// --- One overlay ----------------------------------------------------------------------------------------------------
function checkOverlay(overlay, objects) {
  validate(overlay, objects);
  const of = kind => objects.filter(o => o.kind === kind);
  const configMaps = new Map(of("ConfigMap").map(m => [m.metadata.name, m]));
  const services = of("Service"), hpas = of("HorizontalPodAutoscaler");
  const templated = kind => of(kind).filter(o => {
    if (o.spec?.template?.spec?.containers?.length) return true;
    fail(`${overlay} ${nameOf(o)}`, "has no pod template with a container");
    return false;
  });
  const deployments = templated("Deployment").map(d => {
    const container = d.spec.template.spec.containers[0];
    const env = environment(container, configMaps, `${overlay} ${nameOf(d)}`);
    return { d, where: `${overlay} ${nameOf(d)}`, container, env, modules: modulesOf(env), labels: d.spec.template.metadata?.labels ?? {} };
  });

  const jobs = templated("Job");
  const expected = expectedDeployments[overlay];
  if (expected !== undefined && deployments.length !== expected) fail(overlay, `renders ${deployments.length} Deployments, not ${expected}`);
  for (const module of catalog) {
    const hosts = deployments.filter(x => x.modules.includes(module));
    if (hosts.length !== 1) fail(overlay, `module ${module} is hosted by ${hosts.length} Deployments, not exactly one`);
  }

  // Which Deployment a RemoteUrl reaches, through which Service.
  const servedBy = x => services.filter(s => selects(s.spec.selector, x.labels));
  const remotes = x => Object.entries(x.env).filter(([k]) => k.startsWith("Modular__RemoteUrls__")).map(([k, url]) => {
    const module = k.slice("Modular__RemoteUrls__".length);
    const { hostname, port } = new URL(url);
    const service = services.find(s => s.metadata.name === hostname && s.spec.ports.some(p => String(p.port) === (port || "80")));
    const target = service && deployments.find(y => selects(service.spec.selector, y.labels));
    if (!target) fail(x.where, `${k} (${url}) reaches no Service of this overlay that selects a Deployment`);
    else if (!target.modules.includes(module)) fail(x.where, `${k} reaches ${nameOf(target.d)}, which does not host ${module}`);
    return target;
  }).filter(t => t);
  const gatewaysOf = y => deployments.filter(x => remotes(x).includes(y));
  const entrances = deployments.filter(x => catalog.every(m => x.modules.includes(m) || `Modular__RemoteUrls__${m}` in x.env));
  if (deployments.length > 0 && entrances.length === 0) fail(overlay, "no Deployment serves every module's routes (hosted or by Modular__RemoteUrls__<Module>)");

  for (const x of deployments) {
    const { d, where, container, env } = x;
    const spec = d.spec.template.spec;
    checkPod(where, spec, configMaps);

    const hpa = hpas.find(h => h.spec.scaleTargetRef?.kind === "Deployment" && h.spec.scaleTargetRef.name === d.metadata.name);
    const minimum = hpa ? hpa.spec.minReplicas : d.spec.replicas;
    if (hpa && d.spec.replicas !== undefined) fail(where, `sets replicas although ${nameOf(hpa)} scales it (each apply would reset the count)`);
    if (!(minimum >= 2)) fail(where, `runs ${minimum ?? 1} replica(s) at least, not 2`);
    if (minimum >= 2 && env.Modular__Durability !== "Balanced") fail(where, "replicas share an envelope schema but Modular__Durability is not Balanced");

    const strategy = d.spec.strategy ?? {};
    if (strategy.type !== "RollingUpdate" || strategy.rollingUpdate?.maxUnavailable !== 0) fail(where, "the rollout is not RollingUpdate with maxUnavailable 0");

    const sleep = container.lifecycle?.preStop?.exec?.command;
    const sleepSeconds = sleep?.[0] === "sleep" ? Number(sleep[1]) : NaN;
    if (!(sleepSeconds > 0)) fail(where, "no preStop `sleep N` lets endpoints go before the host stops accepting");
    const grace = spec.terminationGracePeriodSeconds ?? 30;
    if (!(grace > (sleepSeconds || 0) + shutdownSeconds)) {
      fail(where, `terminationGracePeriodSeconds ${grace} does not exceed the preStop sleep (${sleepSeconds}) plus the host's ShutdownTimeout (${shutdownSeconds} s)`);
    }

    const http = (container.ports ?? []).find(p => p.containerPort === 8080);
    const probe = (name, wanted) => {
      const p = container[name];
      if (!p) { fail(where, `has no ${name}`); return; }
      if (p.httpGet?.path !== wanted) fail(where, `${name} asks ${p.httpGet?.path}, not ${wanted}`);
      if (!(p.httpGet?.port === 8080 || (http && p.httpGet?.port === http.name))) fail(where, `${name} does not probe port 8080`);
      return p;
    };
    probe("startupProbe", livePath);
    probe("livenessProbe", livePath);
    const readiness = probe("readinessProbe", readyPath);
    if (readiness && remotes(x).length > 0 && !((readiness.timeoutSeconds ?? 1) > remoteCheckSeconds)) {
      fail(where, `readinessProbe.timeoutSeconds ${readiness.timeoutSeconds ?? 1} is not above the ${remoteCheckSeconds} s the remote modules' health check may take`);
    }

    const annotations = d.spec.template.metadata?.annotations ?? {};
    if (annotations["prometheus.io/scrape"] !== "true" || annotations["prometheus.io/port"] !== "8080" || annotations["prometheus.io/path"] !== "/metrics") {
      fail(where, "the pod template lacks the prometheus.io/scrape, port (8080) and path (/metrics) annotations");
    }

    if (servedBy(x).filter(s => s.spec.ports.some(p => p.port === 8080)).length === 0) fail(where, "no Service on port 8080 selects its pods");
    if (!of("PodDisruptionBudget").some(p => selects(p.spec.selector?.matchLabels, x.labels))) fail(where, "no PodDisruptionBudget selects its pods");
    for (const s of servedBy(x)) {
      if (!s.spec.selector["app.kubernetes.io/component"]) fail(`${overlay} ${nameOf(s)}`, "its selector would also pick the setup Job's pods");
    }

    // Payments' private key stays with the process that hosts Payments (docs/adr/0023).
    const { files } = secretFiles(container, spec);
    if (x.modules.includes("Payments") && !env.Payments__TokenKey__PrivateKeyFile) fail(where, "hosts Payments but sets no Payments__TokenKey__PrivateKeyFile");
    if (x.modules.includes("Ordering") && !x.modules.includes("Payments") && !env.Payments__TokenKey__PublicKeyFile) {
      fail(where, "hosts Ordering without Payments but sets no Payments__TokenKey__PublicKeyFile");
    }
    if (!x.modules.includes("Payments")) {
      const privateKeys = deployments.filter(y => y.env.Payments__TokenKey__PrivateKeyFile)
        .map(y => secretFiles(y.container, y.d.spec.template.spec).files.get(y.env.Payments__TokenKey__PrivateKeyFile)).filter(k => k);
      for (const [file, source] of files) {
        if (privateKeys.some(k => k.secretName === source.secretName && k.key === source.key)) fail(where, `mounts Payments' private key at ${file} without hosting Payments`);
      }
    }

    // An extracted process: reachable only from its gateways, and scaled on CPU.
    const gateways = gatewaysOf(x);
    if (gateways.length > 0) {
      if (!hpa || hpa.apiVersion !== "autoscaling/v2" || !(hpa.spec.metrics ?? []).some(m => m.type === "Resource" && m.resource?.name === "cpu")) {
        fail(where, "is reached through a gateway but no autoscaling/v2 HorizontalPodAutoscaler scales it on CPU");
      }
      const policies = of("NetworkPolicy").filter(p => selects(p.spec.podSelector?.matchLabels, x.labels));
      if (!policies.some(p => (p.spec.policyTypes ?? []).includes("Ingress"))) fail(where, "no NetworkPolicy restricts ingress to its pods");
      const admitsGateway = policies.some(p => (p.spec.ingress ?? []).some(rule => (rule.from ?? []).some(peer =>
        !peer.namespaceSelector && gateways.every(g => selects(peer.podSelector?.matchLabels, g.labels)))));
      if (policies.length > 0 && !admitsGateway) fail(where, "its NetworkPolicy does not admit the gateway's pods");
      for (const p of policies) {
        for (const rule of p.spec.ingress ?? []) {
          const at = `${overlay} ${nameOf(p)}`;
          if (!rule.from?.length) fail(at, "an ingress rule admits every source");
          if (!rule.ports?.length || rule.ports.some(q => q.port !== 8080)) fail(at, "an ingress rule admits ports other than 8080");
          for (const peer of rule.from ?? []) {
            if (peer.ipBlock) fail(at, "an ingress rule admits an ipBlock");
            else if (peer.namespaceSelector) {
              if (!Object.keys(peer.namespaceSelector.matchLabels ?? {}).length) fail(at, "an ingress rule admits namespaces without naming a label");
            } else {
              const admitted = deployments.filter(y => selects(peer.podSelector?.matchLabels, y.labels));
              if (!peer.podSelector?.matchLabels || admitted.some(y => !gateways.includes(y))) fail(at, "an ingress rule admits pods other than the gateway's");
            }
          }
        }
      }
    }

    // Its schema is applied first, by a Job container with its own settings and keys but the owner's login.
    const setups = jobs.flatMap(j => containersOf(j.spec.template.spec).map(c => ({ j, c }))).filter(({ c }) => settingsOf(c) === settingsOf(container));
    if (setups.length !== 1) fail(where, `${setups.length} setup Job containers run with its settings ConfigMap, not one`);
    for (const { j, c } of setups) {
      const at = `${overlay} ${nameOf(j)} container ${c.name}`;
      if (JSON.stringify(c.args) !== JSON.stringify(["resources", "setup"])) fail(at, "does not run `resources setup`");
      const mine = secretFiles(container, spec), its = secretFiles(c, j.spec.template.spec);
      const keys = s => JSON.stringify(Object.entries(env).filter(([k]) => /(KeyPath|KeyFile)$/.test(k)).map(([k, file]) => [k, s.files.get(file)]));
      if (keys(mine) !== keys(its)) fail(at, `does not mount the key files ${nameOf(d)} mounts`);
      const config = s => s.folders.get(env.Modular__SecretsPath)?.secretName;
      if (config(its) === config(mine)) fail(at, `reads the service's Secret ${config(mine)}; setup logs in as the owner, from a Secret of its own (docs/adr/0020)`);
    }
  }

  for (const j of jobs) {
    const where = `${overlay} ${nameOf(j)}`;
    const spec = j.spec.template.spec;
    checkPod(where, spec, configMaps);
    if (!["Never", "OnFailure"].includes(spec.restartPolicy)) fail(where, "restartPolicy is neither Never nor OnFailure");
    if (j.spec.backoffLimit === undefined) fail(where, "sets no backoffLimit");
    if ((spec.containers ?? []).length !== 1) fail(where, "runs several containers at once; setups run one after the other (init containers)");
    // A gateway's setup runs after the setup of the processes it reaches, as docker-compose.yml orders them.
    const order = containersOf(spec).map(c => deployments.find(x => settingsOf(x.container) === settingsOf(c)));
    order.forEach((x, i) => {
      if (x && remotes(x).some(target => order.indexOf(target) > i)) fail(where, `sets up ${nameOf(x.d)} before the processes it reaches`);
    });
  }
  if (jobs.length === 0) fail(overlay, "renders no setup Job");

  console.log(`k8s check: ${overlay}: ${objects.length} objects (${[...new Set(objects.map(o => o.kind))].join(", ")}) checked.`);
}

// A service given database role passwords logs in as the roles and needs no owner's password (docs/adr/0020).
for (const secret of secrets) {
  const data = secret.data ?? {};
  if (secret.metadata.name === "modular-config" && Object.keys(data).some(k => k.startsWith("Modular__Database__Passwords__"))
    && /(^|;)\s*(Password|Pwd)\s*=/i.test(decode(data.ConnectionStrings__Modular))) {
    fail(`secrets ${nameOf(secret)}`, "holds database role passwords and still the owner's password in ConnectionStrings__Modular");
  }
}

for (const [overlay, file] of overlays) checkOverlay(overlay, readObjects(file));

if (failures.size > 0) {
  for (const f of failures) console.error(`k8s check: FAIL ${f}`);
  console.error(`k8s check: ${failures.size} problem(s) found.`);
  process.exit(1);
}
console.log(`k8s check: every object is valid (Kubernetes 1.27 schemas, strict) and has the properties deploy/k8s relies on.`);
