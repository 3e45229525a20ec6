"""`fjudge serve`: the scoring service (FastAPI + uvicorn, SQLite WAL job store).

Endpoints: POST /v1/jobs (202 {id, status}), GET /v1/jobs/{id}, POST /v1/score (waits),
POST /v1/rewards (batch, group-normalised), POST /get_reward (OpenRLHF), GET /healthz,
GET /metrics (Prometheus), /docs and /openapi.json. See `judge.service.app.create_app`.
"""
