# The ecokg image used by docker-compose.yml: the command line with the SPARQL endpoint's
# extras, run as an unprivileged user. Build: docker build -t ecokg .
FROM python:3.11.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY ecokg ecokg
COPY graph graph
COPY loaders loaders
COPY viz viz
COPY ontology ontology
COPY data data
RUN pip install ".[serve]" && rm -rf /src/build

# uid 1000 owns /out: volumes created from here are not root-owned on the host either
RUN useradd --create-home --uid 1000 ecokg && mkdir /out && chown ecokg:ecokg /out
USER ecokg
WORKDIR /home/ecokg
ENV ECOKG_OUT=/out
ENTRYPOINT ["ecokg"]
CMD ["--help"]
